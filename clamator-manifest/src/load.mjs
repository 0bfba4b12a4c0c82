// Finds the contracts in a source folder, the way upstream's loader does: import every top-level
// contract file and keep every export shaped like a contract ({ service: string, methods: object }).

import { readdirSync, statSync } from 'node:fs';
import { register } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { register as registerTsx } from 'tsx/esm/api';

import { ManifestError } from './errors.mjs';
import { checkMethod, SERVICE_NAME_PATTERN } from './protocol.mjs';
import { sourceModules } from './typing.mjs';

const CONTRACT_FILE = /\.(ts|mts|js|mjs)$/;
const DECLARATION_FILE = /\.d\.(ts|mts)$/;

let hooksRegistered = false;

function registerHooks() {
  if (hooksRegistered) return;
  hooksRegistered = true;
  registerTsx();
  // Registered after tsx so that it runs first and can fall back to tsx's resolution.
  register('./resolve-hook.mjs', import.meta.url, {
    data: {
      toolUrl: import.meta.url,
      protocolUrl: new URL('./protocol.mjs', import.meta.url).href,
    },
  });
}

const isContract = (v) =>
  v !== null &&
  typeof v === 'object' &&
  typeof v.service === 'string' &&
  v.methods !== null &&
  typeof v.methods === 'object';

/** Contract-shaped values exported by a module, including CommonJS `module.exports` members. */
function exportedContracts(mod) {
  const found = new Set();
  for (const [name, value] of Object.entries(mod)) {
    if (isContract(value)) found.add(value);
    else if (name === 'default' && value !== null && typeof value === 'object') {
      for (const inner of Object.values(value)) if (isContract(inner)) found.add(inner);
    }
  }
  return [...found];
}

/** Lists the contract files of `srcDir`, sorted, relative to it. */
export function contractFiles(srcDir) {
  let entries;
  try {
    entries = readdirSync(srcDir);
  } catch (err) {
    throw new ManifestError(`cannot read --src ${srcDir}: ${err.message}`);
  }
  return entries
    .filter((f) => CONTRACT_FILE.test(f) && !DECLARATION_FILE.test(f))
    .filter((f) => statSync(path.join(srcDir, f)).isFile())
    .sort();
}

/**
 * Imports every contract file of `srcDir`.
 * Returns [{ service, methods, file }] in file order; throws ManifestError on any problem.
 */
export async function loadContracts(srcDir) {
  return (await loadSources(srcDir)).contracts;
}

/**
 * {@link loadContracts}, and the module namespaces of the contract files and the local modules
 * they import (where the typing view finds the names of exported schemas).
 */
export async function loadSources(srcDir) {
  registerHooks();
  const files = contractFiles(srcDir);
  const byService = new Map();
  const namespaces = [];
  for (const file of files) {
    let mod;
    try {
      mod = await import(pathToFileURL(path.resolve(srcDir, file)).href);
    } catch (err) {
      throw new ManifestError(`${file}: failed to import: ${err?.message ?? err}`);
    }
    namespaces.push(mod);
    for (const contract of exportedContracts(mod)) {
      const { service, methods } = contract;
      const where = `${file}: service "${service}"`;
      if (!SERVICE_NAME_PATTERN.test(service)) {
        throw new ManifestError(
          `${file}: invalid service name "${service}" (must match ${SERVICE_NAME_PATTERN.source})`,
        );
      }
      const previous = byService.get(service);
      // The same contract object reached again (an index file re-exporting it, `export *`) is
      // one contract; a second, different definition of the service is an error.
      if (previous?.contract === contract) continue;
      if (previous) {
        throw new ManifestError(
          previous.file === file
            ? `${file}: service "${service}" is defined twice`
            : `service "${service}" is defined differently in ${previous.file} and ${file}`,
        );
      }
      for (const [name, def] of Object.entries(methods)) {
        try {
          checkMethod(name, def);
        } catch (err) {
          throw new ManifestError(`${where}: ${err.message}`);
        }
      }
      byService.set(service, { service, methods, file, contract });
    }
  }
  if (byService.size === 0) {
    throw new ManifestError(
      `no contracts found in ${srcDir} (looked for exports shaped { service, methods } in ${files.length} .ts/.mts/.js/.mjs files)`,
    );
  }
  const modules = await sourceModules(srcDir, files, namespaces);
  return { contracts: [...byService.values()], modules };
}
