//===- Diagram.cpp - Graphviz graphs and in-process rendering -------------===//
#include "passes/Diagram.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cmath>
#include <fmt/format.h>
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

using namespace ds;

namespace {
char *cstr(const std::string &s) { return const_cast<char *>(s.c_str()); }

/// One Graphviz context for the process: plugins load once.
GVC_t *context() {
  static GVC_t *gvc = gvContext();
  return gvc;
}
} // namespace

Diagram::Diagram(const std::string &name, bool directed) {
  g_ = agopen(cstr(name), directed ? Agdirected : Agundirected, nullptr);
}

Diagram::~Diagram() { agclose(g_); }

Agraph_t *Diagram::subgraph(Agraph_t *parent, const std::string &name) {
  return agsubg(parent, cstr(name), 1);
}

void *Diagram::node(Agraph_t *in, const std::string &name) {
  return agnode(in, cstr(name), 1);
}

void *Diagram::edge(void *from, void *to, const std::string &key) {
  return agedge(g_, static_cast<Agnode_t *>(from), static_cast<Agnode_t *>(to),
                key.empty() ? nullptr : cstr(key), 1);
}

void Diagram::set(Agraph_t *g, const char *attr, const std::string &value) {
  agsafeset(g, const_cast<char *>(attr), cstr(value), const_cast<char *>(""));
}

void Diagram::setNode(void *n, const char *attr, const std::string &value) {
  agsafeset(n, const_cast<char *>(attr), cstr(value), const_cast<char *>(""));
}

void Diagram::setEdge(void *e, const char *attr, const std::string &value) {
  agsafeset(e, const_cast<char *>(attr), cstr(value), const_cast<char *>(""));
}

void Diagram::setHtml(void *obj, const char *attr, const std::string &html) {
  Agraph_t *root = agroot(obj);
  char *s = agstrdup_html(root, cstr(html));
  agsafeset(obj, const_cast<char *>(attr), s, const_cast<char *>(""));
  agstrfree(root, s);
}

bool ds::renderDiagram(Diagram &d, DiagramFormat format, std::string &out,
                       std::string &error) {
  if (format == DiagramFormat::Dot) {
    // DOT text needs no layout: cgraph writes the graph as built.
    char *buffer = nullptr;
    size_t size = 0;
    FILE *f = open_memstream(&buffer, &size);
    if (!f || agwrite(d.graph(), f) != 0) {
      if (f)
        fclose(f);
      free(buffer);
      error = "cgraph could not write the diagram";
      return false;
    }
    fclose(f);
    out.assign(buffer, size);
    free(buffer);
    return true;
  }
  const char *fmtName = format == DiagramFormat::Svg ? "svg" : "png";
  GVC_t *gvc = context();
  if (gvLayout(gvc, d.graph(), "dot") != 0) {
    error = "Graphviz could not lay out the diagram";
    return false;
  }
  char *data = nullptr;
  unsigned int length = 0;
  int rc = gvRenderData(gvc, d.graph(), fmtName, &data, &length);
  gvFreeLayout(gvc, d.graph());
  if (rc != 0 || !data) {
    error = fmt::format("Graphviz could not render {} (is the plugin "
                        "installed?)",
                        fmtName);
    if (data)
      gvFreeRenderData(data);
    return false;
  }
  out.assign(data, length);
  gvFreeRenderData(data);
  return true;
}

std::string ds::heatColor(double u) {
  u = std::clamp(std::isfinite(u) ? u : 0.0, 0.0, 1.0);
  // HSV: hue from pale blue-grey (cool) to red (hot), saturation grows.
  return fmt::format("{:.3f} {:.3f} 0.950", 0.0, 0.1 + 0.8 * u);
}
