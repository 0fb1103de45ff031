#!/usr/bin/env node
// The SAM template as data: CloudFormation short-form intrinsics (!Ref, !Sub, !GetAtt, ...) become their long form
// ({"Ref": ...}, {"Fn::Sub": ...}, {"Fn::GetAtt": [id, attribute]}). Used by dynalite.mjs to create the tables, and by
// the tests to check what the template grants and sets.
//
//   node src/local/template.mjs [FILE]      prints the template as JSON (default: the repository's template.yaml)
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_TEMPLATE = resolve(here, '../../template.yaml');

const INTRINSICS = ['Ref', 'Condition', 'Base64', 'Cidr', 'FindInMap', 'GetAtt', 'GetAZs', 'If', 'ImportValue',
  'Join', 'Select', 'Split', 'Sub', 'Transform', 'And', 'Equals', 'Not', 'Or'];
const cfnTags = INTRINSICS.flatMap((name) => {
  const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
  const tag = `!${name}`;
  return [
    { tag, resolve: (str) => ({ [key]: name === 'GetAtt' ? str.split('.') : str }) },
    { tag, collection: 'seq', resolve: (seq) => ({ [key]: seq.toJSON() }) },
    { tag, collection: 'map', resolve: (map) => ({ [key]: map.toJSON() }) },
  ];
});

export function readTemplate(path = DEFAULT_TEMPLATE) {
  return parse(readFileSync(path, 'utf8'), { customTags: cfnTags });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(readTemplate(process.argv[2] ?? DEFAULT_TEMPLATE), null, 2)}\n`);
}
