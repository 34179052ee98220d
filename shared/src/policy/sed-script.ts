/**
 * A strict reader for sed scripts: it accepts only commands that print or edit the
 * text stream (`s`, `y`, `p`, `d`, `q`, `n`, `N`, `P`, `D`, `g`, `G`, `h`, `H`, `x`, `l`,
 * `=`, `z`, `F`, `a`/`i`/`c`, blocks, labels and branches) with addresses, and `s`
 * flags `g p i I m M` and a number. Anything else — `e`, `w`, `W`, `r`, `R`, the `s`
 * flags `e` and `w`, or text it cannot follow — makes the script unsafe.
 */

const SIMPLE = new Set(["p", "d", "D", "n", "N", "P", "g", "G", "h", "H", "x", "l", "=", "z", "F", "{", "}"]);

class SedReader {
  i = 0;
  constructor(private readonly s: string) {}

  private skip(chars: string): void {
    while (this.i < this.s.length && chars.includes(this.s[this.i])) this.i++;
  }

  /**
   * A delimited part starting after the delimiter; brackets are skipped in a regex, as GNU sed does. Returns false if
   * unterminated.
   */
  private part(delim: string, regex: boolean): boolean {
    const s = this.s;
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === "\\") this.i += 2;
      else if (c === delim) {
        this.i++;
        return true;
      } else if (c === "\n" && !regex) return false;
      else if (regex && c === "[") {
        let j = this.i + 1;
        if (s[j] === "^") j++;
        if (s[j] === "]") j++;
        const end = s.indexOf("]", j);
        if (end < 0) return false;
        this.i = end + 1;
      } else this.i++;
    }
    return false;
  }

  private address(): boolean {
    const s = this.s;
    if (/[0-9]/.test(s[this.i] ?? "")) {
      this.skip("0123456789");
      if (s[this.i] === "~") {
        this.i++;
        this.skip("0123456789");
      }
    } else if (s[this.i] === "$") this.i++;
    else if (s[this.i] === "/") {
      this.i++;
      if (!this.part("/", true)) return false;
      this.skip("IM");
    }
    return true;
  }

  private addresses(): boolean {
    if (!this.address()) return false;
    if (this.s[this.i] === ",") {
      this.i++;
      if (this.s[this.i] === "+" || this.s[this.i] === "~") this.i++;
      if (!this.address()) return false;
    }
    this.skip(" \t");
    if (this.s[this.i] === "!") this.i++;
    this.skip(" \t");
    return true;
  }

  private toLineEnd(stopAtSemicolon: boolean): void {
    while (this.i < this.s.length && this.s[this.i] !== "\n" && !(stopAtSemicolon && this.s[this.i] === ";"))
      this.i += this.s[this.i] === "\\" ? 2 : 1;
  }

  private command(): boolean {
    const c = this.s[this.i++];
    if (SIMPLE.has(c)) return true;
    if (c === "q" || c === "Q") return (this.skip(" \t0123456789"), true);
    if (c === ":" || c === "b" || c === "t" || c === "T") return (this.toLineEnd(true), true);
    if (c === "a" || c === "i" || c === "c") return (this.toLineEnd(false), true);
    if (c === "#") return (this.toLineEnd(false), true);
    if (c === "s" || c === "y") {
      const delim = this.s[this.i++];
      if (delim === undefined || delim === "\n" || delim === "\\") return false;
      if (!this.part(delim, c === "s") || !this.part(delim, false)) return false;
      if (c === "s") this.skip("gpiImM0123456789");
      return true;
    }
    return false;
  }

  read(): boolean {
    for (;;) {
      this.skip(" \t\n;");
      if (this.i >= this.s.length) return true;
      if (!this.addresses()) return false;
      const opensBlock = this.s[this.i] === "{";
      if (!this.command()) return false;
      if (opensBlock) continue;
      this.skip(" \t");
      const next = this.s[this.i];
      if (next !== undefined && !";\n}#".includes(next)) return false;
    }
  }
}

/** True when the sed script only prints or edits the stream (see the file comment). */
export function isSafeSedScript(script: string): boolean {
  return new SedReader(script).read();
}
