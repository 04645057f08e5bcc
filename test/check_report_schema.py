#!/usr/bin/env python3
"""Checks a JSON report against docs/report-schema.json: required keys,
types, enums, consts and minimums (the subset of JSON Schema the schema
uses), and that no number is NaN or infinite. Usage: SCHEMA REPORT"""
import json, math, sys

def check(schema, value, path, defs, errors):
    if '$ref' in schema:
        schema = defs[schema['$ref'].split('/')[-1]]
    t = schema.get('type')
    kinds = {'object': dict, 'array': list, 'string': str, 'boolean': bool}
    if t in kinds and not isinstance(value, kinds[t]):
        errors.append('%s: expected %s' % (path, t))
        return
    if t in ('number', 'integer'):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            errors.append('%s: expected %s' % (path, t)); return
        if not math.isfinite(value):
            errors.append('%s: not finite' % path); return
        if t == 'integer' and value != int(value):
            errors.append('%s: expected an integer' % path)
        if 'minimum' in schema and value < schema['minimum']:
            errors.append('%s: %r below %r' % (path, value, schema['minimum']))
    if 'const' in schema and value != schema['const']:
        errors.append('%s: expected %r' % (path, schema['const']))
    if 'enum' in schema and value not in schema['enum']:
        errors.append('%s: %r not in %r' % (path, value, schema['enum']))
    if isinstance(value, dict):
        for k in schema.get('required', []):
            if k not in value:
                errors.append('%s: missing %s' % (path, k))
        for k, v in value.items():
            sub = schema.get('properties', {}).get(k, schema.get('additionalProperties'))
            if isinstance(sub, dict):
                check(sub, v, path + '.' + k, defs, errors)
    if isinstance(value, list) and 'items' in schema:
        for i, v in enumerate(value):
            check(schema['items'], v, '%s[%d]' % (path, i), defs, errors)

schema = json.load(open(sys.argv[1]))
report = json.load(open(sys.argv[2]))
errors = []
check(schema, report, '$', schema.get('$defs', {}), errors)
for e in errors:
    print('error:', e)
print('schema check: %d error(s)' % len(errors))
sys.exit(1 if errors else 0)
