import type { Command, Script } from "./parse";

/**
 * How a function body calls the function itself: "spawning" when a self-call sits in a
 * pipeline or in the background (each call starts two more processes: a fork bomb, as
 * in `:(){ :|:& };:`), "plain" for ordinary recursion, "none" otherwise.
 */
export type SelfCall = "none" | "plain" | "spawning";

export function selfCalls(body: Command, name: string): SelfCall {
  return inCommand(body, name, false);
}

function inScript(script: Script, name: string): SelfCall {
  let found: SelfCall = "none";
  for (const p of script) {
    const spawning = p.background || p.cmds.length > 1;
    for (const c of p.cmds) {
      const r = inCommand(c, name, spawning);
      if (r === "spawning") return r;
      if (r === "plain") found = r;
    }
  }
  return found;
}

function inCommand(cmd: Command, name: string, spawning: boolean): SelfCall {
  switch (cmd.type) {
    case "simple":
      if (cmd.words[0]?.text !== name) return "none";
      return spawning ? "spawning" : "plain";
    case "group": {
      const r = inScript(cmd.body, name);
      return r === "plain" && spawning ? "spawning" : r;
    }
    case "function":
    case "words":
      return "none";
    default: {
      const never: never = cmd;
      return never;
    }
  }
}
