// How upstream lowers a Zod schema to the JSON Schema it hashes, and a guard for
// zod-to-json-schema's console output.

export const LOWERING_OPTIONS = Object.freeze({ target: 'jsonSchema7', $refStrategy: 'none' });

/**
 * Runs `f` with console.warn silenced: zod-to-json-schema prints `Recursive reference detected at
 * #/…! Defaulting to any` for recursion, naming no file or method. The typing view types that
 * recursion, and what it cannot type is reported as a warning of this tool, with its place.
 */
export function quietly(f) {
  const warn = console.warn;
  console.warn = () => {};
  try {
    return f();
  } finally {
    console.warn = warn;
  }
}
