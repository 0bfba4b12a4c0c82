// The contract helpers of @clamator/protocol, so that contract files written for upstream load
// unchanged: the loader maps the import specifier '@clamator/protocol' to this module.

export const SERVICE_NAME_PATTERN = /^[a-z][a-z0-9-]*$/;
export const METHOD_NAME_PATTERN = /^[a-z][a-zA-Z0-9]*$/;

/** Checks one method definition; throws with upstream's messages. */
export function checkMethod(name, def) {
  if (!METHOD_NAME_PATTERN.test(name)) {
    throw new Error(`invalid method name "${name}" (must match ${METHOD_NAME_PATTERN.source})`);
  }
  if (def === null || typeof def !== 'object') {
    throw new Error(`method "${name}" must be defined with defineMethod or defineNotification`);
  }
  if (def.notification === true) {
    if (def.result !== undefined) throw new Error(`notification "${name}" must not include result`);
  } else if (def.result === undefined) {
    throw new Error(`method "${name}" must include result schema`);
  }
}

export function defineContract(service, methods) {
  if (typeof service !== 'string' || !SERVICE_NAME_PATTERN.test(service)) {
    throw new Error(`invalid service name "${service}" (must match ${SERVICE_NAME_PATTERN.source})`);
  }
  for (const [name, def] of Object.entries(methods)) checkMethod(name, def);
  return { service, methods };
}

export function defineMethod(def) {
  return def;
}

export function defineNotification(def) {
  return { ...def, notification: true };
}
