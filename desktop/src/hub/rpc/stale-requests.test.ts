import { describe, expect, it } from "vitest";
import { refuseStale } from "./stale-requests";

const MIN = 60_000;
const caller = (sentAt?: number) => ({ device: "phone-1", caps: [], ...(sentAt !== undefined ? { sentAt } : {}) });

describe("refuseStale", () => {
  it("lets a request through up to the limit, and one without an envelope time", () => {
    expect(() => refuseStale(caller(1_000_000 - 5 * MIN), 1_000_000, 5 * MIN)).not.toThrow();
    expect(() => refuseStale(caller(1_000_000 + 2 * MIN), 1_000_000, 5 * MIN)).not.toThrow();
    expect(() => refuseStale(caller(), 1_000_000, 5 * MIN)).not.toThrow();
  });

  it("refuses an older one with the code stale and its age in words", () => {
    const now = 100 * 24 * 60 * MIN;
    const refused = (age: number) => {
      try {
        refuseStale(caller(now - age), now, 5 * MIN);
        return null;
      } catch (err) {
        return err as { code: string; message: string };
      }
    };
    expect(refused(5 * MIN + 1)).toMatchObject({
      code: "stale",
      message: "this request was sent 5 minutes ago; send it again",
    });
    expect(refused(61 * MIN)?.message).toBe("this request was sent 61 minutes ago; send it again");
    expect(refused(3 * 24 * 60 * MIN)?.message).toBe("this request was sent 72 hours ago; send it again");
  });
});
