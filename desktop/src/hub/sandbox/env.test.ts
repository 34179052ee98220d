import { describe, expect, it } from "vitest";
import { sandboxEnv } from "./env";

describe("sandboxEnv", () => {
  const hub = {
    PATH: "/opt/bin:/usr/bin",
    HOME: "/home/me",
    USER: "me",
    LANG: "de_DE.UTF-8",
    LC_TIME: "C",
    TZ: "Europe/Berlin",
    SHELL: "/bin/zsh",
    AWS_SECRET_ACCESS_KEY: "s3cret",
    SSH_AUTH_SOCK: "/run/ssh.sock",
    GITHUB_TOKEN: "ghp_x",
    LD_PRELOAD: "/x.so",
  };

  it("passes only the documented set, never the hub's secrets", () => {
    expect(sandboxEnv({}, hub)).toEqual({
      PATH: "/opt/bin:/usr/bin",
      HOME: "/home/me",
      USER: "me",
      LANG: "de_DE.UTF-8",
      LC_TIME: "C",
      TZ: "Europe/Berlin",
      SHELL: "/bin/zsh",
      TERM: "xterm-256color",
      COLORTERM: "truecolor",
      PAGER: "cat",
      GIT_PAGER: "cat",
    });
  });

  it("adds the caller's variables and has a PATH even when the hub has none", () => {
    expect(sandboxEnv({ NL_X: "1" }, {})).toMatchObject({ PATH: expect.stringContaining("/usr/bin"), NL_X: "1" });
  });

  it("is the same for the same hub (deterministic order)", () => {
    expect(JSON.stringify(sandboxEnv({}, hub))).toBe(JSON.stringify(sandboxEnv({}, { ...hub })));
  });
});
