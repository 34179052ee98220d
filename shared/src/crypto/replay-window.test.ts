import { describe, expect, it } from "vitest";
import { b64uEncode } from "../encoding/b64u";
import { ENVELOPE_MAX_AGE_MS, ENVELOPE_MAX_SKEW_MS, SEEN_ID_RETENTION_MS } from "../protocol/defaults";
import { randomBytes } from "./bytes";
import { openEnvelope, sealEnvelope, sharedKey } from "./envelope";
import { generateIdentity } from "./identity";
import { acceptEnvelope, MemorySeenIds } from "./seen-ids";

// docs/protocol.md section 8: an id must be remembered for as long as its envelope
// could still be accepted, or a replay slips through once the id is swept.
describe("replay window", () => {
  it("keeps an id longer than the envelope stays acceptable, from the same constants", () => {
    expect(SEEN_ID_RETENTION_MS).toBeGreaterThan(ENVELOPE_MAX_AGE_MS + ENVELOPE_MAX_SKEW_MS);
  });

  it("refuses a replay of a future-dated envelope after the sweep, with an injected clock", async () => {
    const a = generateIdentity();
    const b = generateIdentity();
    const key = sharedKey(b.boxPublicKey, a.boxSecretKey);
    const from = b64uEncode(a.signPublicKey);
    const to = b64uEncode(b.signPublicKey);
    const t0 = 1_800_000_000_000;
    let now = t0;
    const seen = new MemorySeenIds(() => now);
    const id = b64uEncode(randomBytes(16));
    // Dated as far ahead as a receiver accepts: the latest an envelope can stay acceptable.
    const bytes = sealEnvelope(key, { v: 1, id, from, to, ts: t0 + ENVELOPE_MAX_SKEW_MS, t: "x", d: {} });
    const open = () => openEnvelope(sharedKey(a.boxPublicKey, b.boxSecretKey), bytes, { id, from }, to, now);
    await acceptEnvelope(open(), seen, now);
    // Step through the whole acceptance window; sweep at each step as a receiver would.
    for (const step of [ENVELOPE_MAX_AGE_MS - 1, ENVELOPE_MAX_AGE_MS + 1, ENVELOPE_MAX_AGE_MS + ENVELOPE_MAX_SKEW_MS]) {
      now = t0 + step;
      seen.sweep(now);
      await expect(acceptEnvelope(open(), seen, now)).rejects.toMatchObject({ reason: "replayed" });
    }
    // Past the window the envelope itself is refused as too old, so forgetting the id is safe.
    now = t0 + ENVELOPE_MAX_AGE_MS + ENVELOPE_MAX_SKEW_MS + 1;
    expect(() => open()).toThrow(/older than 8 days/);
  });
});
