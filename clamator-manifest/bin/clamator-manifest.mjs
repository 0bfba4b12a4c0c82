#!/usr/bin/env node
// clamator-manifest --src <dir> --out <manifest.json> [--hashes-only] [--generated-by <text>]

import { parseArgs } from 'node:util';

import {
  buildManifestWithTyping,
  contractWarnings,
  DEFAULT_GENERATED_BY,
  loadSources,
  ManifestError,
  renderManifest,
  writeAtomically,
} from '../src/index.mjs';

const USAGE = `Usage: clamator-manifest --src <dir> --out <manifest.json> [--hashes-only] [--generated-by <text>]

Reads every top-level .ts/.mts/.js/.mjs file of --src, collects the exported clamator contracts,
and writes a manifest whose hashes equal what @clamator/codegen computes for the same sources.

  --src <dir>            folder of Zod contract files
  --out <file>           manifest to write (written whole, or not at all)
  --hashes-only          write the upstream form (no schemas), as @clamator/codegen --manifest does
  --generated-by <text>  value of "generatedBy" (default: "${DEFAULT_GENERATED_BY}");
                         pass "@clamator/codegen v<version>" to match an upstream manifest byte for byte
  -h, --help             show this text

Exit codes: 0 written, 1 the contracts could not be turned into a manifest, 2 bad arguments.`;

const plural = (n, noun) => `${n} ${noun}${n === 1 ? '' : 's'}`;

function fail(code, message) {
  process.stderr.write(`clamator-manifest: ${message}\n`);
  process.exit(code);
}

let args;
try {
  args = parseArgs({
    options: {
      src: { type: 'string' },
      out: { type: 'string' },
      'hashes-only': { type: 'boolean', default: false },
      'generated-by': { type: 'string', default: DEFAULT_GENERATED_BY },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  }).values;
} catch (err) {
  fail(2, `${err.message}\n\n${USAGE}`);
}
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (!args.src || !args.out) fail(2, `--src and --out are required\n\n${USAGE}`);

try {
  const { contracts, modules } = await loadSources(args.src);
  const { manifest, untyped } = buildManifestWithTyping(contracts, {
    generatedBy: args['generated-by'],
    hashesOnly: args['hashes-only'],
    modules,
  });
  writeAtomically(args.out, renderManifest(manifest));
  for (const warning of contractWarnings(contracts, untyped)) {
    process.stderr.write(`clamator-manifest: warning: ${warning}\n`);
  }
  const methods = contracts.reduce((n, c) => n + Object.keys(c.methods).length, 0);
  process.stderr.write(
    `clamator-manifest: wrote ${args.out} (${plural(contracts.length, 'service')}, ${plural(methods, 'method')})\n`,
  );
} catch (err) {
  if (err instanceof ManifestError) fail(1, err.message);
  fail(1, `unexpected failure: ${err?.stack ?? err}`);
}
