// Module resolution for contract files, run in Node's loader thread.
//
// Contract files import 'zod' and '@clamator/protocol'. They may live in a folder with no
// node_modules of its own (this repository's fixtures, a user's contracts folder), so a bare
// specifier that does not resolve from the contract file is resolved from this tool instead, and
// '@clamator/protocol' always means this tool's own helpers.

let toolUrl;
let protocolUrl;

export function initialize(data) {
  toolUrl = data.toolUrl;
  protocolUrl = data.protocolUrl;
}

const isBare = (s) => !/^(\.|\/|[a-zA-Z][a-zA-Z0-9+.-]*:)/.test(s);

export async function resolve(specifier, context, nextResolve) {
  if (specifier === '@clamator/protocol') {
    return { url: protocolUrl, format: 'module', shortCircuit: true };
  }
  let resolved;
  try {
    resolved = await nextResolve(specifier, context);
  } catch (err) {
    if (isBare(specifier) && err?.code === 'ERR_MODULE_NOT_FOUND') {
      return nextResolve(specifier, { ...context, parentURL: toolUrl });
    }
    throw err;
  }
  // Contract files and the files they import are ES modules (`export const …`), whatever
  // package.json says or doesn't say around them; without this a .ts or .js file outside a
  // "type": "module" package is loaded as CommonJS and its imports of ES modules fail.
  // Dependencies under node_modules keep the format their package declares.
  // tsx marks a file it believes to be CommonJS with a query (…/common.ts%3Ftsx-commonjs-…?…),
  // notably a helper imported as './common.js' from a contract: drop the marker too, or the helper
  // is loaded by require() and its own `import 'zod'` no longer reaches this hook.
  const plain = resolved.url.replace(/(%3F|\?)tsx-commonjs.*$/, '');
  if (
    /\.(ts|js)$/.test(plain) &&
    !plain.includes('/node_modules/') &&
    (resolved.format !== 'module' || plain !== resolved.url)
  ) {
    return { ...resolved, url: plain, format: 'module' };
  }
  return resolved;
}
