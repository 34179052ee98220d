import { describe, expect, it } from "vitest";
import { RpcError } from "@neural-link/shared/app";
import { describeError } from "./errors";

describe("describeError", () => {
  it("words the RPC failures a person can act on, and passes the hub's own words through", () => {
    expect(describeError(new RpcError("forbidden", "this device lacks the terminal capability"))).toMatch(
      /Allow it on the desktop/,
    );
    expect(describeError(new RpcError("timeout", "x"))).toMatch(/did not answer in time/);
    expect(describeError(new RpcError("unavailable", "x"))).toMatch(/Not connected/);
    expect(describeError(new RpcError("conflict", "the command differs from the one awaiting approval"))).toBe(
      "the command differs from the one awaiting approval",
    );
    expect(describeError(new Error("plain"))).toBe("plain");
    expect(describeError("thrown string")).toBe("Something went wrong.");
  });
});
