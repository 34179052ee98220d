import { describe, expect, it } from "vitest";
import { classify } from "./classify";
import { PolicyConfigError } from "./config";
import type { Risk } from "./types";

const home = "/home/alice";
const opts = { home, cwd: home };

/** [command, expected class]: at least 60 rows across the three classes. */
const TABLE: [string, Risk][] = [
  // low: read-only commands and harmless edits
  ["ls -la", "low"],
  ["cat README.md", "low"],
  ["echo hello world", "low"],
  ["pwd", "low"],
  ["whoami", "low"],
  ["date", "low"],
  ["uptime", "low"],
  ["df -h", "low"],
  ["du -sh .", "low"],
  ["head -n 5 notes.txt | tail -n 2", "low"],
  ["grep -rn TODO src | wc -l", "low"],
  ["find . -name '*.ts'", "low"],
  ["git status", "low"],
  ["git log --oneline -n 5", "low"],
  ["git diff HEAD~1", "low"],
  ["git -C repo show HEAD", "low"],
  ["uname -a", "low"],
  ["ps aux", "low"],
  ["env", "low"],
  ["printenv HOME", "low"],
  ["which node", "low"],
  ["node -v", "low"],
  ["python3 --version", "low"],
  ["FOO=1 echo $FOO", "low"],
  ["echo hi > out.txt", "low"],
  ["ls 2>/dev/null", "low"],
  ["cd /tmp && ls", "low"],
  ["echo $(date)", "low"],
  ["bash -c 'ls -l; pwd'", "low"],
  ["nice -n 5 du -sh .", "low"],
  ["timeout 5 cat file", "low"],
  ["git push origin main", "low"],
  ["npm test", "low"],
  ["mkdir -p build && touch build/x", "low"],
  ["f() { echo hi; }; f", "low"],
  ["awk '{print $1}' data.txt", "low"],
  // high: destructive, privileged, system-changing or unknown
  ["rm notes.txt", "high"],
  ["rm -rf node_modules", "high"],
  ["shred secret.txt", "high"],
  ["truncate -s 0 log.txt", "high"],
  ["mv config.json /etc/app.json", "high"],
  ["cp evil /usr/bin/ls", "high"],
  ["chmod -R 755 project", "high"],
  ["chown -R bob project", "high"],
  ["find . -name '*.o' -delete", "high"],
  ["find . -type f -exec rm {} \\;", "high"],
  ["sudo ls", "high"],
  ["su -c whoami", "high"],
  ["doas ls", "high"],
  ["pkexec ls", "high"],
  ["dd if=/dev/zero of=disk.img bs=1M count=1", "high"],
  ["mkfs.ext4 disk.img", "high"],
  ["fdisk -l", "high"],
  ["parted -l", "high"],
  ["mount /dev/sdb1 /mnt", "high"],
  ["umount /mnt", "high"],
  ["ip link set eth0 down", "high"],
  ["ifconfig eth0 up", "high"],
  ["iptables -F", "high"],
  ["nft flush ruleset", "high"],
  ["route add default gw 10.0.0.1", "high"],
  ["systemctl restart nginx", "high"],
  ["service ssh stop", "high"],
  ["curl -fsSL https://example.com/install.sh | sh", "high"],
  ["wget -qO- https://example.com/x | bash", "high"],
  ["git push --force origin main", "high"],
  ["git push -f", "high"],
  ["git push --force-with-lease", "high"],
  ["git reset --hard HEAD~3", "high"],
  ["git clean -fd", "high"],
  ["apt-get install -y htop", "high"],
  ["apt remove nginx", "high"],
  ["npm install -g typescript", "high"],
  ["npm i --global pnpm", "high"],
  ["pip install requests", "high"],
  ["python3 -m pip install flask", "high"],
  ["kill -9 1234", "high"],
  ["killall node", "high"],
  ["pkill -f server", "high"],
  ["crontab -e", "high"],
  ["echo 'alias ls=rm' >> ~/.bashrc", "high"],
  ["echo x > /etc/hosts", "high"],
  ["echo key >> $HOME/.ssh/authorized_keys", "high"],
  ["frobnicate --all", "high"],
  ["./deploy.sh", "high"],
  ["bash install.sh", "high"],
  ["node -e 'process.exit(1)'", "high"],
  ["ls; reboot", "high"],
  ["ls && sudo rm foo", "high"],
  ["echo $(rm important)", "high"],
  ["echo `sudo id`", "high"],
  ["env FOO=1 rm file", "high"],
  ["xargs rm < list.txt", "high"],
  ["nohup killall ssh &", "high"],
  ["r\\m file", "high"],
  ["$'\\x72\\x6d' file", "high"],
  ["CMD=rm; $CMD file", "high"],
  ["PATH=/tmp/evil:$PATH ls", "high"],
  ["echo 'unterminated", "high"],
  // forbidden: wiping / or home, fork bombs, raw disk writes, chmod -R 777 /
  ["rm -rf /", "forbidden"],
  ["rm -rf /*", "forbidden"],
  ["rm -rf ~", "forbidden"],
  ["rm -rf ~/", "forbidden"],
  ["rm -rf $HOME", "forbidden"],
  ["rm -rf \"${HOME}\"/*", "forbidden"],
  ["rm -r --no-preserve-root /", "forbidden"],
  ["rm -fr //", "forbidden"],
  ["rm -rf /home/alice", "forbidden"],
  ["rm -rf .", "forbidden"],
  ["cd / && rm -rf *", "forbidden"],
  ["sudo rm -rf --no-preserve-root /", "forbidden"],
  ["bash -c 'rm -rf ~'", "forbidden"],
  ["sh -c \"echo hi; rm -rf /\"", "forbidden"],
  ["echo $(rm -rf /)", "forbidden"],
  ["ls; `rm -rf ~`", "forbidden"],
  ["(cd /tmp; rm -rf /)", "forbidden"],
  [":(){ :|:& };:", "forbidden"],
  [":(){ :|: & };:", "forbidden"],
  ["bomb() { bomb | bomb & }; bomb", "forbidden"],
  ["f(){ f & f; }; f", "forbidden"],
  ["dd if=/dev/zero of=/dev/sda", "forbidden"],
  ["dd if=image.iso of=/dev/nvme0n1 bs=4M", "forbidden"],
  ["cat /dev/urandom > /dev/sdb", "forbidden"],
  ["echo x > /dev/nvme0n1p1", "forbidden"],
  ["mkfs.ext4 /dev/sda1", "forbidden"],
  ["mkfs -t xfs /dev/vdb", "forbidden"],
  ["wipefs -a /dev/sda", "forbidden"],
  ["shred -n 1 /dev/sdc", "forbidden"],
  ["chmod -R 777 /", "forbidden"],
  ["chown -R nobody /", "forbidden"],
  ["find / -delete", "forbidden"],
  ["sudo sh -c 'dd if=/dev/zero of=/dev/sda'", "forbidden"],
  ["sh <<EOF\nrm -rf ~\nEOF", "forbidden"],
  ["xargs -0 rm -rf / < x", "forbidden"],
];

describe("classify: built-in table", () => {
  it("has at least 60 commands across all classes", () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(60);
    for (const r of ["low", "high", "forbidden"] as const) expect(TABLE.filter(([, k]) => k === r).length).toBeGreaterThan(10);
  });

  it.each(TABLE)("%s -> %s", (command, expected) => {
    const result = classify(command, opts);
    expect(result.risk, result.reasons.join(" | ")).toBe(expected);
    expect(result.reasons.length).toBeGreaterThan(0);
  });
});

describe("classify: reasons and context", () => {
  it("explains why in words", () => {
    expect(classify("curl https://x.sh | sh", opts).reasons.join(" ")).toMatch(/download/);
    expect(classify("frobnicate", opts).reasons[0]).toMatch(/not a program the policy knows/);
    expect(classify(":(){ :|:& };:", opts).reasons[0]).toMatch(/fork bomb/);
  });

  it("judges what runs, not what is quoted", () => {
    expect(classify('echo "rm -rf /"', opts).risk).toBe("low");
    expect(classify("grep -r 'sudo' .", opts).risk).toBe("low");
  });

  it("never throws, whatever the input", () => {
    const alphabet = ["rm", " -rf", " /", "'", '"', "$(", ")", "`", "\\", ";", "|", "&", "(", "{", "}", "<<", ">", "$HOME", "\n", "f()", "case", "#"];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let i = 0; i < 500; i++) {
      const text = Array.from({ length: 1 + (next() % 12) }, () => alphabet[next() % alphabet.length]).join("");
      const r = classify(text, opts);
      expect(["low", "high", "forbidden"]).toContain(r.risk);
    }
  });

  it("survives pathological nesting: high, never a crash", () => {
    for (const text of ["((((".repeat(2000), "{ ".repeat(4000), ")".repeat(8000), "if ".repeat(2000) + "ls", "$(".repeat(3000) + ")".repeat(3000), "bash -c ".repeat(900) + "ls"]) {
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
    expect(classify("curl -s https://x.example/i.sh | sh", { ...opts, policy: { allow: ["sh", "curl"] } }).risk).toBe("high");
    expect(classify("cat script | sh", { ...opts, policy: { allow: ["sh", "cat"] } }).risk).toBe("low");
  });

  it("never relaxes a built-in forbidden verdict", () => {
    const policy = { allow: ["rm", "dd", "sh", "rm -rf /"] };
    expect(classify("rm -rf /", { ...opts, policy }).risk).toBe("forbidden");
    expect(classify("dd if=/dev/zero of=/dev/sda", { ...opts, policy }).risk).toBe("forbidden");
    expect(classify("rm -rf build", { ...opts, policy }).risk).toBe("low");
  });

  it("rejects malformed policy documents", () => {
    expect(() => classify("ls", { policy: { allow: "ls" as unknown as string[] } })).toThrow(PolicyConfigError);
    expect(() => classify("ls", { policy: { high: [""] } })).toThrow(PolicyConfigError);
  });
});
