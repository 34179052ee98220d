/** POSIX shell quoting of one word: the path is inside single quotes, a quote in it closed and escaped. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command that copies a landed file to a folder outside the landing folder.
 * It goes through the normal task flow (docs/risk-policy.md): the policy classes
 * a `cp` into an ungranted folder as a write that needs approval, the approval is
 * bound to the digest of this exact command, folder and environment, and `-n`
 * never replaces a file that is already there.
 *
 * @example copyCommand("/home/me/Downloads/Neural Link/a.jpg", "/home/me/site") // cp -n -- '/home/…/a.jpg' '/home/me/site/'
 */
export function copyCommand(file: string, destDir: string): string {
  return `cp -n -- ${shellQuote(file)} ${shellQuote(destDir.endsWith("/") ? destDir : `${destDir}/`)}`;
}
