#!/usr/bin/env node
// Regenerates fixtures/manifests and fixtures/samples from fixtures/contracts and
// fixtures/sample-values. `npm run fixtures` writes them; the tests call renderFixtures() and
// compare with what is committed.

import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { buildManifest, loadSources, lower, renderManifest } from '../src/index.mjs';
import { exportedSchemas, typingViews } from '../src/typing.mjs';
import { classifySamples } from './samples.mjs';

export const REPO_ROOT = path.resolve(fileURLToPath(import.meta.url), '../../..');
export const FIXTURES = path.join(REPO_ROOT, 'fixtures');
// What upstream writes, so that the hash-only fixtures are byte-identical to a real upstream run.
export const FIXTURE_GENERATED_BY = '@clamator/codegen v0.1.9';

/** Every generated fixture file: path relative to fixtures/ → text. */
export async function renderFixtures() {
  const { contracts, modules } = await loadSources(path.join(FIXTURES, 'contracts'));
  const files = new Map();
  const manifests = (name, subset) => {
    for (const hashesOnly of [false, true]) {
      const manifest = buildManifest(subset, { generatedBy: FIXTURE_GENERATED_BY, hashesOnly, modules });
      files.set(`manifests/${name}.${hashesOnly ? 'hashes' : 'schema'}.json`, renderManifest(manifest));
    }
  };
  manifests('all', contracts);
  const typing = typingViews(contracts, exportedSchemas(modules), (id) => {
    const [method, side] = id.split(' ');
    const [service, name] = [method.slice(0, method.indexOf('.')), method.slice(method.indexOf('.') + 1)];
    const def = contracts.find((c) => c.service === service).methods[name];
    return lower(side === 'params' ? def.params : def.result, id).text;
  });
  for (const contract of contracts) {
    manifests(contract.service, [contract]);
    const candidatesFile = path.join(FIXTURES, 'sample-values', `${contract.service}.ts`);
    const candidates = (await import(pathToFileURL(candidatesFile).href)).default;
    const samples = classifySamples(contract, candidates, `sample-values/${contract.service}.ts`, typing);
    files.set(`samples/${contract.service}.json`, `${JSON.stringify(samples, null, 2)}\n`);
  }
  return files;
}

async function main() {
  const files = await renderFixtures();
  for (const dir of ['manifests', 'samples']) {
    rmSync(path.join(FIXTURES, dir), { recursive: true, force: true });
    mkdirSync(path.join(FIXTURES, dir), { recursive: true });
  }
  for (const [rel, text] of files) writeFileSync(path.join(FIXTURES, rel), text);
  process.stderr.write(`regenerated ${files.size} files under fixtures/\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}

export const listFixtureFiles = (dir) =>
  readdirSync(path.join(FIXTURES, dir)).map((f) => `${dir}/${f}`);
