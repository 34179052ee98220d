import { describe, expect, it } from "vitest";
import { parseCommandLine } from "./parse";
import { tokenize, type WordToken } from "./tokenize";

const words = (src: string) =>
  tokenize(src)
    .tokens.filter((t): t is WordToken => t.kind === "word")
    .map((t) => t.text);

describe("tokenize", () => {
  it("removes quotes and escapes", () => {
    expect(words(`echo 'a b' "c d" e\\ f r\\m`)).toEqual(["echo", "a b", "c d", "e f", "rm"]);
    expect(words(`echo $'\\x72m\\n'`)).toEqual(["echo", "rm\n"]);
    expect(words(`echo $'\\x' $'\\u'`)).toEqual(["echo", "\\x", "\\u"]);
  });

  it("splits operators and redirections", () => {
    const kinds = tokenize("a && b || c | d ; e & 2>&1 >> f").tokens.map((t) =>
      t.kind === "word" ? t.text : t.kind === "op" ? t.op : `R${t.fd ?? ""}${t.op}`,
    );
    expect(kinds).toEqual(["a", "&&", "b", "||", "c", "|", "d", ";", "e", "&", "R2>&", "1", "R>>", "f"]);
  });

  it("collects substitutions, nested ones included", () => {
    const t = tokenize('echo "$(cat $(ls))" `id` <(date) $((1 + 2))').tokens as WordToken[];
    expect(t[1].subs).toEqual(["cat $(ls)"]);
    expect(t[2].subs).toEqual(["id"]);
    expect(t[3].subs).toEqual(["date"]);
    expect(t[4].subs).toEqual([]);
    expect(t.every((w) => w.kind === "word")).toBe(true);
  });

  it("reads `$((…); …)` as a command substitution, `$((…))` as arithmetic", () => {
    const subs = (src: string) => (tokenize(src).tokens[1] as WordToken).subs;
    expect(subs("echo $((rm f); ls)")).toEqual(["(rm f); ls"]);
    expect(subs("echo $((1 + $(id)))")).toEqual(["id"]);
    expect(subs("echo $(( (1 + 2) * 3 ))")).toEqual([]);
  });

  it("finds substitutions inside ${…} the way bash does, escapes and nesting included", () => {
    const subs = (src: string) => (tokenize(src).tokens[1] as WordToken).subs;
    expect(subs("echo ${x:-$(echo a\\)b; rm f)}")).toEqual(["echo a\\)b; rm f"]);
    expect(subs("echo ${x:-${y:-`id`}}")).toEqual(["id"]);
    expect(subs(`echo "\${x:-'$(rm f)'}"`)).toEqual(["rm f"]);
    expect(subs(`echo $(echo "$(echo ")"; rm f)")`)).toEqual([`echo "$(echo ")"; rm f)"`]);
  });

  it("keeps variables literally and marks them dynamic", () => {
    const [, w] = tokenize("echo ${HOME}/x").tokens as WordToken[];
    expect(w).toMatchObject({ text: "${HOME}/x", dynamic: true });
  });

  it("reads here-document bodies", () => {
    const r = tokenize("cat <<-END\n\tline 1\nline 2\n\tEND\nls");
    const redir = r.tokens.find((t) => t.kind === "redir");
    expect(redir).toMatchObject({ op: "<<-", body: "line 1\nline 2" });
    expect(words("cat <<END\nx\nEND\nls").slice(-1)).toEqual(["ls"]);
  });

  it("marks words that globs or brace expansion can turn into other words", () => {
    const marks = (src: string) =>
      (tokenize(src).tokens.filter((t) => t.kind === "word") as WordToken[]).map((w) => w.expands);
    expect(marks("ls *.ts '*.ts' a?c [ab] [ x ] {a,b} {1..3} '{a,b}' x{} HEAD@{1}")).toEqual([
      false,
      true,
      false,
      true,
      true,
      false,
      false,
      false,
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it("collects substitutions in unquoted here-documents only", () => {
    const redir = (src: string) => tokenize(src).tokens.find((t) => t.kind === "redir");
    expect(redir("cat <<EOF\n$(rm a) `rm b` \\$(not)\nEOF")).toMatchObject({ bodySubs: ["rm a", "rm b"] });
    expect(redir("cat <<'EOF'\n$(rm a)\nEOF")).not.toHaveProperty("bodySubs");
  });

  it("reports unclosed quotes instead of throwing", () => {
    expect(tokenize(`echo "abc`).errors).toEqual(["unclosed double quote"]);
    expect(tokenize(`echo 'abc`).errors).toEqual(["unclosed single quote"]);
  });
});

describe("parseCommandLine", () => {
  it("builds pipelines, groups and functions", () => {
    const { script, errors } = parseCommandLine("f() { a | b & }; (c; d) && if e; then g; fi");
    expect(errors).toEqual([]);
    expect(script.map((p) => p.cmds.map((c) => c.type))).toEqual([["function"], ["group"], ["simple"], ["simple"]]);
  });

  it("reads `time -p` as the keyword with its option", () => {
    const { script, errors } = parseCommandLine("time -p ls");
    expect(errors).toEqual([]);
    const cmd = script[0].cmds[0];
    expect(cmd.type === "simple" && cmd.words.map((w) => w.text)).toEqual(["ls"]);
  });

  it("separates assignments from words", () => {
    const { script } = parseCommandLine("A=1 B=$(x) cmd C=2");
    const cmd = script[0].cmds[0];
    expect(cmd.type === "simple" && [cmd.assigns.map((w) => w.text), cmd.words.map((w) => w.text)]).toEqual([
      ["A=1", "B=$(x)"],
      ["cmd", "C=2"],
    ]);
  });
});
