/** A word for a POSIX shell, single-quoted so that nothing in it is expanded. */
export function shellQuote(word: string): string {
    return `'${word.replace(/'/g, "'\\''")}'`;
}
