import { CAPABILITIES, type Capability } from "@neural-link/shared/app";

/**
 * A `devices ...` subcommand, parsed. DEVICE stays a reference (id, id prefix or name) until resolved against the
 * store.
 */
export type DevicesCommand =
  | { op: "list" }
  | { op: "caps" }
  | { op: "grant"; device: string; caps: Capability[] }
  | { op: "ungrant"; device: string; caps: Capability[] }
  | { op: "rename"; device: string; name: string }
  | { op: "revoke"; device: string };

/** Longest device name the hub stores (the same rule as the UI's). */
export const DEVICE_NAME_MAX = 64;

function capsOf(words: readonly string[], fail: (m: string) => Error): Capability[] {
  if (words.length === 0) throw fail(`name at least one capability: ${CAPABILITIES.join(", ")}`);
  return words.map((w) => {
    const c = w.toLowerCase();
    if (!(CAPABILITIES as readonly string[]).includes(c))
      throw fail(`there is no capability "${w}"; there are: ${CAPABILITIES.join(", ")}`);
    return c as Capability;
  });
}

/** Parses the words after `devices`; `fail` makes the caller's usage error. */
export function parseDevicesCommand(words: readonly string[], fail: (m: string) => Error): DevicesCommand {
  const [op, device, ...rest] = words;
  const needDevice = (): string => {
    if (!device) throw fail(`devices ${op} needs a device (its id, the start of its id, or its name)`);
    return device;
  };
  switch (op) {
    case "list":
    case "caps":
      if (words.length > 1) throw fail(`devices ${op} takes no arguments`);
      return { op };
    case "grant":
    case "ungrant":
      return { op, device: needDevice(), caps: capsOf(rest, fail) };
    case "rename": {
      const name = rest.join(" ").trim();
      needDevice();
      if (name.length === 0 || name.length > DEVICE_NAME_MAX)
        throw fail(`devices rename needs a new name of 1 to ${DEVICE_NAME_MAX} characters`);
      return { op, device: device!, name };
    }
    case "revoke":
      if (rest.length > 0) throw fail("devices revoke takes one device");
      return { op, device: needDevice() };
    case undefined:
      throw fail("devices needs one of: list, caps, grant, ungrant, rename, revoke");
    default:
      throw fail(`devices has no command "${op}"; use list, caps, grant, ungrant, rename or revoke`);
  }
}
