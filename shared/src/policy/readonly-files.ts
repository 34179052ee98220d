import type { ReadOnlySpec } from "./options";

/**
 * The read-only allow-list, part one: programs that read files and print text. Each
 * lists the options known to only read; anything else on the line makes it high.
 * Left out on purpose: `sort -o/--output/--compress-program/-T`, `diff -l` (runs `pr`),
 * `tree -o/-R` (write files), `file -C/-z`, `rg --pre/--pre-glob/-z/--search-zip`,
 * `xxd -r`, two operands for `uniq`/`xxd`/`base64` (the second is written).
 */

const GREP_LONG = ["extended-regexp", "fixed-strings", "basic-regexp", "perl-regexp", "regexp=", "file=", "ignore-case", "no-ignore-case", "word-regexp", "line-regexp", "null-data", "no-messages", "invert-match", "version", "help", "max-count=", "byte-offset", "line-number", "line-buffered", "with-filename", "no-filename", "label=", "only-matching", "quiet", "silent", "binary-files=", "text", "directories=", "devices=", "recursive", "dereference-recursive", "include=", "exclude=", "exclude-from=", "exclude-dir=", "files-without-match", "files-with-matches", "count", "initial-tab", "null", "before-context=", "after-context=", "context=", "color?", "colour?"];
const grep: ReadOnlySpec = { does: "searches text and only reads", flags: "EFGPiywxzsvVcLlobHhnTZUrRaIq", valued: "efmABCdD", numeric: true, long: GREP_LONG, harmlessOptions: true };

const LS_LONG = ["all", "almost-all", "author", "escape", "block-size=", "ignore-backups", "color?", "directory", "dired", "classify?", "file-type", "format=", "full-time", "group-directories-first", "no-group", "human-readable", "si", "dereference-command-line", "dereference-command-line-symlink-to-dir", "hide=", "hyperlink?", "indicator-style=", "inode", "ignore=", "kibibytes", "dereference", "literal", "numeric-uid-gid", "hide-control-chars", "show-control-chars", "quote-name", "quoting-style=", "reverse", "recursive", "size", "sort=", "time=", "time-style=", "tabsize=", "width=", "context", "zero", "help", "version"];
const ls: ReadOnlySpec = { does: "lists files and only reads", flags: "aAbBcCdfFgGhHiklLmnNopqQrRsStuUvxXZ1", valued: "IwT", long: LS_LONG, harmlessOptions: true };

const SUMS: ReadOnlySpec = { does: "computes checksums and only reads", flags: "bctwz", valued: "al", long: ["binary", "check", "tag", "text", "zero", "ignore-missing", "quiet", "status", "strict", "warn", "algorithm=", "length=", "base64", "raw", "untagged", "help", "version"], harmlessOptions: true };

const RG_LONG = ["ignore-case", "smart-case", "case-sensitive", "fixed-strings", "word-regexp", "line-regexp", "invert-match", "line-number", "no-line-number", "files-with-matches", "files-without-match", "count", "count-matches", "context=", "before-context=", "after-context=", "heading", "no-heading", "with-filename", "no-filename", "only-matching", "quiet", "hidden", "no-ignore", "follow", "glob=", "iglob=", "type=", "type-not=", "max-count=", "max-depth=", "max-filesize=", "multiline", "json", "vimgrep", "color=", "colors=", "files", "type-list", "sort=", "sortr=", "stats", "trim", "column", "null", "text", "threads=", "regexp=", "file=", "encoding=", "replace=", "passthru", "pcre2", "help", "version"];

export const READ_ONLY_FILES: Record<string, ReadOnlySpec> = {
  ls,
  dir: ls,
  cat: { does: "prints files and only reads", flags: "AbeEnstTuv", long: ["show-all", "number-nonblank", "show-ends", "number", "squeeze-blank", "show-tabs", "show-nonprinting", "help", "version"], harmlessOptions: true },
  tac: { does: "prints files backwards and only reads", flags: "br", valued: "s", long: ["before", "regex", "separator=", "help", "version"], harmlessOptions: true },
  head: { does: "prints the start of files and only reads", flags: "qvz", valued: "nc", numeric: true, long: ["lines=", "bytes=", "quiet", "silent", "verbose", "zero-terminated", "help", "version"], harmlessOptions: true },
  tail: { does: "prints the end of files and only reads", flags: "fFqvz", valued: "ncs", numeric: true, long: ["lines=", "bytes=", "follow?", "retry", "pid=", "sleep-interval=", "max-unchanged-stats=", "quiet", "silent", "verbose", "zero-terminated", "help", "version"], harmlessOptions: true },
  wc: { does: "counts lines, words and bytes and only reads", flags: "clmwL", long: ["bytes", "chars", "lines", "words", "max-line-length", "files0-from=", "total=", "help", "version"], harmlessOptions: true },
  grep,
  egrep: grep,
  fgrep: grep,
  rg: { does: "searches text and only reads", flags: "iSsFwxvnNlcHhoqUuLap0", valued: "egtTmABCMjEfr", long: RG_LONG, harmful: { "--pre": "runs a program on every file it searches", "--pre-glob": "runs the --pre program on matching files", "-z": "runs decompression programs", "--search-zip": "runs decompression programs" } },
  stat: { does: "shows file details and only reads", flags: "LftZ", valued: "c", long: ["dereference", "file-system", "format=", "printf=", "terse", "cached=", "help", "version"], harmlessOptions: true },
  file: { does: "guesses file types and only reads", flags: "bcdEhiklLNnprsv0S", valued: "mfFeP", harmful: { "-C": "compiles a magic file, writing it", "-z": "runs decompression programs", "-Z": "runs decompression programs" }, long: ["brief", "mime", "mime-type", "mime-encoding", "dereference", "no-dereference", "keep-going", "special-files", "help", "version"] },
  tree: { does: "lists a directory tree and only reads", flags: "adlfxpsughDFqNQrtvUcCAnSi", valued: "LPI", harmful: { "-o": "writes its output to a file", "-R": "writes a 00Tree.html file into every directory" }, long: ["help", "version", "noreport", "dirsfirst", "charset=", "filelimit=", "du", "prune", "matchdirs", "ignore-case", "si", "inodes", "device", "sort=", "gitignore"] },
  du: { does: "measures disk usage and only reads", flags: "0abcDhHkLlmPSsx", valued: "dBtX", long: ["null", "all", "apparent-size", "block-size=", "bytes", "total", "dereference-args", "max-depth=", "human-readable", "inodes", "dereference", "count-links", "no-dereference", "separate-dirs", "si", "summarize", "threshold=", "time?", "time-style=", "exclude-from=", "exclude=", "one-file-system", "files0-from=", "help", "version"], harmlessOptions: true },
  df: { does: "shows free disk space and only reads", flags: "ahHiklPTv", valued: "Btx", long: ["all", "block-size=", "human-readable", "si", "inodes", "local", "no-sync", "output?", "portability", "print-type", "sync", "total", "type=", "exclude-type=", "help", "version"], harmlessOptions: true },
  cut: { does: "cuts columns out of text and only reads", flags: "nsz", valued: "bcdf", long: ["bytes=", "characters=", "delimiter=", "fields=", "complement", "only-delimited", "output-delimiter=", "zero-terminated", "help", "version"], harmlessOptions: true },
  tr: { does: "translates characters and only reads", flags: "cCdst", long: ["complement", "delete", "squeeze-repeats", "truncate-set1", "help", "version"], harmlessOptions: true },
  nl: { does: "numbers lines and only reads", flags: "p", valued: "bdfhilnsvw", harmlessOptions: true },
  od: { does: "dumps bytes and only reads", flags: "bcdfiloxsv", valued: "AjNtSw", harmlessOptions: true },
  fold: { does: "wraps lines and only reads", flags: "bs", valued: "w", numeric: true, harmlessOptions: true },
  paste: { does: "joins lines and only reads", flags: "sz", valued: "d", long: ["serial", "delimiters=", "zero-terminated"], harmlessOptions: true },
  sort: {
    does: "sorts lines and only reads",
    flags: "bdfgiMhnRrVcCmsuz",
    valued: "ktS",
    harmful: { "-o": "writes its output to a file", "--output": "writes its output to a file", "--compress-program": "runs a program to compress temporary files", "-T": "writes temporary files into a directory", "--temporary-directory": "writes temporary files into a directory" },
    long: ["ignore-leading-blanks", "dictionary-order", "ignore-case", "general-numeric-sort", "ignore-nonprinting", "month-sort", "human-numeric-sort", "numeric-sort", "random-sort", "reverse", "version-sort", "sort=", "check?", "key=", "merge", "field-separator=", "stable", "unique", "zero-terminated", "buffer-size=", "parallel=", "help", "version"],
  },
  uniq: { does: "collapses repeated lines and only reads", flags: "cdDiuz", valued: "fsw", long: ["count", "repeated", "all-repeated?", "ignore-case", "unique", "skip-fields=", "skip-chars=", "check-chars=", "zero-terminated", "group?"], maxOperands: 1, harmlessOptions: true },
  comm: { does: "compares sorted files and only reads", flags: "123iz", long: ["check-order", "nocheck-order", "output-delimiter=", "total", "zero-terminated"], harmlessOptions: true },
  cmp: { does: "compares files and only reads", flags: "blsz", valued: "in", harmlessOptions: true },
  diff: {
    does: "compares files and only reads",
    flags: "qsiEZbwBauNTpyrtdc",
    valued: "UCxXDIFSW",
    harmful: { "-l": "runs `pr` on its output", "--paginate": "runs `pr` on its output" },
    numeric: true,
    long: ["brief", "report-identical-files", "context?", "unified?", "normal", "side-by-side", "width=", "left-column", "suppress-common-lines", "show-c-function", "show-function-line=", "label=", "expand-tabs", "initial-tab", "tabsize=", "new-file", "unidirectional-new-file", "ignore-case", "ignore-tab-expansion", "ignore-trailing-space", "ignore-space-change", "ignore-all-space", "ignore-blank-lines", "ignore-matching-lines=", "text", "strip-trailing-cr", "recursive", "no-dereference", "exclude=", "exclude-from=", "starting-file=", "from-file=", "to-file=", "color?", "minimal", "speed-large-files", "help", "version"],
  },
  join: { does: "joins files on a field and only reads", flags: "iz", valued: "aejotv12", harmlessOptions: true },
  column: { does: "formats text into columns and only reads", flags: "tx", valued: "scNo", harmlessOptions: true },
  expand: { does: "turns tabs into spaces and only reads", flags: "i", valued: "t", harmlessOptions: true },
  unexpand: { does: "turns spaces into tabs and only reads", flags: "a", valued: "t", harmlessOptions: true },
  rev: { does: "reverses lines and only reads", harmlessOptions: true },
  strings: { does: "prints the text inside files and only reads", flags: "adfw", valued: "ntes", harmlessOptions: true },
  hexdump: { does: "dumps bytes and only reads", flags: "bcCdovx", valued: "ens", harmlessOptions: true },
  xxd: { does: "dumps bytes and only reads", flags: "bCEipu", valued: "clgosn", maxOperands: 1, harmful: { "-r": "turns a dump back into bytes and can write them over a file" } },
  base64: { does: "encodes or decodes to the screen and only reads", flags: "di", valued: "w", long: ["decode", "ignore-garbage", "wrap="], maxOperands: 1, harmlessOptions: true },
  md5sum: SUMS,
  sha1sum: SUMS,
  sha224sum: SUMS,
  sha256sum: SUMS,
  sha384sum: SUMS,
  sha512sum: SUMS,
  b2sum: SUMS,
  cksum: SUMS,
  basename: { does: "prints a file name and only reads", flags: "az", valued: "s", harmlessOptions: true },
  dirname: { does: "prints a directory name and only reads", flags: "z", harmlessOptions: true },
  realpath: { does: "resolves paths and only reads", flags: "eEmLPqsz", long: ["relative-to=", "relative-base="], harmlessOptions: true },
  readlink: { does: "resolves links and only reads", flags: "femnqsvz", harmlessOptions: true },
  jq: { does: "filters JSON and only reads", flags: "nrjacSCMseRh", valued: "fL", long: ["tab", "indent=", "arg=", "argjson=", "slurpfile=", "rawfile=", "args", "jsonargs", "seq", "stream", "raw-output", "join-output", "ascii-output", "compact-output", "sort-keys", "color-output", "monochrome-output", "slurp", "exit-status", "raw-input", "null-input", "help", "version"], harmlessOptions: true },
  zcat: { does: "prints compressed files and only reads", flags: "fqv", harmlessOptions: true },
};
