//===- Parser.cpp - .ds text to AST ---------------------------------------===//
//
// ANTLR sees one code point per input byte (bytes >= 0x80 are re-encoded as
// Latin-1 code points), so token indices are byte offsets into the SourceMgr
// buffer and random bytes can never make the runtime's UTF-8 decoder throw.
// Parsing runs SLL first and falls back to full LL only on failure.
//
//===----------------------------------------------------------------------===//
#include "frontend/Parser.h"

#include "DeepStackLexer.h"
#include "DeepStackParser.h"
#include "antlr4-runtime.h"
#include "frontend/ASTBuilder.h"
#include "llvm/Support/ConvertUTF.h"

using namespace ds;
using P = dsgen::DeepStackParser;
using L = dsgen::DeepStackLexer;

namespace {

bool isLegalUTF8String(const char *p, const char *end) {
  auto *s = reinterpret_cast<const llvm::UTF8 *>(p);
  return llvm::isLegalUTF8String(&s, reinterpret_cast<const llvm::UTF8 *>(end));
}

/// Rewords ANTLR's messages in the user's terms and reports them located.
class ErrorListener : public antlr4::BaseErrorListener {
public:
  ErrorListener(const char *base, size_t size, DiagEngine &diags)
      : base(base), size(size), diags(diags) {}

  void syntaxError(antlr4::Recognizer *, antlr4::Token *offending, size_t,
                   size_t, const std::string &msg,
                   std::exception_ptr) override {
    ++count;
    llvm::SMRange r;
    if (offending) {
      size_t start = std::min(offending->getStartIndex(), size);
      size_t stop = offending->getType() == antlr4::Token::EOF
                        ? start
                        : std::min(offending->getStopIndex() + 1, size);
      r = {llvm::SMLoc::getFromPointer(base + start),
           llvm::SMLoc::getFromPointer(base + std::max(start, stop))};
    } else {
      r = {llvm::SMLoc::getFromPointer(base + size),
           llvm::SMLoc::getFromPointer(base + size)};
    }
    std::string text = reword(msg);
    // "no viable alternative at input 'layers8'" glues the tokens it tried
    // together; name the token that could not be parsed instead.
    if (offending && llvm::StringRef(msg).startswith("no viable alternative"))
      text = offending->getType() == antlr4::Token::EOF
                 ? "unexpected end of file"
                 : "unexpected '" + std::string(r.Start.getPointer(),
                                                r.End.getPointer()) + "'";
    diags.report(r, DiagKind::Syntax, text);
  }

  unsigned count = 0;

private:
  static std::string reword(std::string msg) {
    auto replace = [&](llvm::StringRef from, llvm::StringRef to) {
      size_t pos = 0;
      while ((pos = msg.find(from.str(), pos)) != std::string::npos) {
        msg.replace(pos, from.size(), to.str());
        pos += to.size();
      }
    };
    replace("<EOF>", "end of file");
    replace("mismatched input", "unexpected");
    replace("extraneous input", "unexpected");
    replace("no viable alternative at input", "cannot parse");
    replace(" expecting ", ", expected ");
    replace("missing", "expected");
    replace("QUANTITY", "number with unit");
    replace("NUMBER", "number");
    replace("IDENT", "name");
    replace("STRING", "string");
    return msg;
  }

  const char *base;
  size_t size;
  DiagEngine &diags;
};

/// ANTLR's recovery may delete one token to continue; deleting a statement's
/// `;` or `}` glues it to the next statement (`layers = 8 +;` then reads
/// `8 + stacks` and reports a bogus error at the next `=`). Never do that.
class StatementErrorStrategy : public antlr4::DefaultErrorStrategy {
protected:
  antlr4::Token *singleTokenDeletion(antlr4::Parser *parser) override {
    std::string text = parser->getCurrentToken()->getText();
    if (text == ";" || text == "}")
      return nullptr;
    return DefaultErrorStrategy::singleTokenDeletion(parser);
  }
};

/// A token stream that stops filling at a limit, so a file of millions of
/// tokens is rejected before they are all materialised.
class LimitedTokenStream : public antlr4::CommonTokenStream {
public:
  using CommonTokenStream::CommonTokenStream;
  /// Fetches every token; false as soon as there are more than \p limit.
  bool fillUpTo(size_t limit) {
    while (fetch(4096) == 4096)
      if (size() > limit)
        return false;
    return size() <= limit;
  }
};

/// Everything one parse needs, kept alive together.
struct ParseSession {
  ParseSession(unsigned bufferId, DiagEngine &diags)
      : diags(diags),
        buffer(diags.sourceMgr().getMemoryBuffer(bufferId)->getBuffer()),
        input(latin1(buffer)), lexer(&input), tokens(&lexer),
        parser(&tokens),
        listener(buffer.data(), buffer.size(), diags) {
    lexer.removeErrorListeners();
    lexer.addErrorListener(&listener);
    parser.removeErrorListeners();
  }

  static std::string latin1(llvm::StringRef bytes) {
    std::string out;
    out.reserve(bytes.size());
    for (unsigned char c : bytes) {
      if (c < 0x80) {
        out += char(c);
      } else {
        out += char(0xC0 | (c >> 6));
        out += char(0x80 | (c & 0x3F));
      }
    }
    return out;
  }

  llvm::SMRange rangeOf(antlr4::Token *t) const {
    const char *s = buffer.data() + t->getStartIndex();
    return {llvm::SMLoc::getFromPointer(s),
            llvm::SMLoc::getFromPointer(buffer.data() + t->getStopIndex() + 1)};
  }

  /// What a token type means to the pre-scan, from the literal names of
  /// the vocabulary (computed once per session, not per token).
  enum class TokenClass : uint8_t { Other, Open, Close, Operator, Semicolon };
  std::vector<TokenClass> classifyTokenTypes() {
    const antlr4::dfa::Vocabulary &vocab = lexer.getVocabulary();
    std::vector<TokenClass> classes(vocab.getMaxTokenType() + 1,
                                    TokenClass::Other);
    static const char *const ops[] = {"'+'",  "'-'",  "'*'", "'/'",  "'%'",
                                      "'<'",  "'<='", "'>'", "'>='", "'=='",
                                      "'!='", "'&&'", "'||'", "'!'", "'..'"};
    for (size_t t = 0; t < classes.size(); ++t) {
      std::string lit = vocab.getLiteralName(t);
      if (lit == "'('" || lit == "'{'")
        classes[t] = TokenClass::Open;
      else if (lit == "')'" || lit == "'}'")
        classes[t] = TokenClass::Close;
      else if (lit == "';'")
        classes[t] = TokenClass::Semicolon;
      for (const char *op : ops)
        if (lit == op)
          classes[t] = TokenClass::Operator;
    }
    return classes;
  }

  /// Lexical checks and limits, before the recursive parser runs.
  bool scanTokens() {
    if (!tokens.fillUpTo(ParseLimits::maxTokens)) {
      diags.report(llvm::SMLoc::getFromPointer(buffer.data()),
                   DiagKind::TooManyTokens, ParseLimits::maxTokens);
      return false;
    }
    unsigned depth = 0, operators = 0;
    bool ok = true;
    const char *skipUntil = buffer.data();
    std::vector<TokenClass> classes = classifyTokenTypes();
    for (antlr4::Token *t : tokens.getTokens()) {
      if (diags.stopped())
        return false;
      size_t type = t->getType();
      if (type == antlr4::Token::EOF)
        break;
      if (buffer.data() + t->getStartIndex() < skipUntil)
        continue;
      if (type == L::UNTERMINATED_STRING || type == L::UNTERMINATED_COMMENT) {
        diags.report(rangeOf(t).Start, type == L::UNTERMINATED_STRING
                                           ? DiagKind::UnterminatedString
                                           : DiagKind::UnterminatedComment);
        return false;
      }
      if (type == L::UNKNOWN_CHAR) {
        ok = false;
        llvm::SMRange r = rangeOf(t);
        const char *p = r.Start.getPointer();
        if ((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f) {
          diags.report(r, DiagKind::InvalidCharacter, std::string(1, *p));
          continue;
        }
        // A multi-byte character is one error, not one per byte.
        const char *end = p + 1;
        while (end < buffer.end() && (unsigned char)*end >= 0x80 &&
               (unsigned char)*p >= 0x80)
          ++end;
        std::string shown;
        if (llvm::StringRef(p, end - p).size() > 1 &&
            isLegalUTF8String(p, end))
          shown = std::string(p, end);
        else
          for (const char *q = p; q < end; ++q)
            shown += llvm::formatv("\\x{0:x-2}", (unsigned)(unsigned char)*q).str();
        diags.report(llvm::SMRange(r.Start, llvm::SMLoc::getFromPointer(end)),
                     DiagKind::InvalidCharacter, shown);
        skipUntil = end;
        continue;
      }
      if (type == L::IDENT && t->getStopIndex() - t->getStartIndex() + 1 >
                                  ParseLimits::maxIdentifier) {
        diags.report(rangeOf(t), DiagKind::IdentifierTooLong,
                     t->getStopIndex() - t->getStartIndex() + 1,
                     ParseLimits::maxIdentifier);
        ok = false;
      }
      switch (type < classes.size() ? classes[type] : TokenClass::Other) {
      case TokenClass::Semicolon:
        operators = 0;
        break;
      case TokenClass::Operator:
        if (++operators > ParseLimits::maxOperators) {
          diags.report(rangeOf(t), DiagKind::ExpressionTooLong,
                       ParseLimits::maxOperators);
          return false;
        }
        break;
      case TokenClass::Open:
        if (++depth > ParseLimits::maxNesting) {
          diags.report(rangeOf(t), DiagKind::NestingTooDeep,
                       ParseLimits::maxNesting);
          return false;
        }
        break;
      case TokenClass::Close:
        if (depth > 0)
          --depth;
        break;
      case TokenClass::Other:
        break;
      }
    }
    return ok;
  }

  /// Runs \p rule with SLL, then with full LL and error reporting if SLL
  /// could not decide.
  template <typename Ctx> Ctx *parse(Ctx *(P::*rule)()) {
    parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
        antlr4::atn::PredictionMode::SLL);
    parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
    try {
      return (parser.*rule)();
    } catch (antlr4::ParseCancellationException &) {
    }
    tokens.seek(0);
    parser.reset();
    parser.addErrorListener(&listener);
    parser.setErrorHandler(std::make_shared<StatementErrorStrategy>());
    parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
        antlr4::atn::PredictionMode::LL);
    Ctx *ctx = (parser.*rule)();
    return listener.count ? nullptr : ctx;
  }

  DiagEngine &diags;
  llvm::StringRef buffer;
  antlr4::ANTLRInputStream input;
  L lexer;
  LimitedTokenStream tokens;
  P parser;
  ErrorListener listener;
};
} // namespace

std::unique_ptr<ast::File> ds::parseFile(unsigned bufferId, DiagEngine &diags) {
  ParseSession s(bufferId, diags);
  if (!s.scanTokens())
    return nullptr;
  P::FileContext *ctx = s.parse(&P::file);
  if (!ctx)
    return nullptr;
  auto file = std::make_unique<ast::File>();
  file->bufferId = bufferId;
  file->filename =
      diags.sourceMgr().getMemoryBuffer(bufferId)->getBufferIdentifier().str();
  ASTBuilder builder(s.buffer.data(), diags);
  builder.buildFile(ctx, *file);
  return builder.failed() ? nullptr : std::move(file);
}

std::unique_ptr<ast::Item> ds::parseSetting(unsigned bufferId,
                                            DiagEngine &diags) {
  ParseSession s(bufferId, diags);
  if (!s.scanTokens())
    return nullptr;
  P::SettingContext *ctx = s.parse(&P::setting);
  if (!ctx)
    return nullptr;
  ASTBuilder builder(s.buffer.data(), diags);
  auto item = builder.buildSetting(ctx);
  return builder.failed() ? nullptr : std::move(item);
}

ast::ExprPtr ds::parseExpression(unsigned bufferId, DiagEngine &diags) {
  ParseSession s(bufferId, diags);
  if (!s.scanTokens())
    return nullptr;
  P::ExprOnlyContext *ctx = s.parse(&P::exprOnly);
  if (!ctx)
    return nullptr;
  ASTBuilder builder(s.buffer.data(), diags);
  auto e = builder.buildExpr(ctx->expr());
  return builder.failed() ? nullptr : std::move(e);
}
