/**
 * What keeps a markdown report postable as a pull-request comment: GitHub refuses a comment longer than 65,536
 * characters. `fathom IMAGE`'s and `fathom diff`'s markdown both render under caps, shrinking them until the text
 * fits, and say what they cut.
 */

/** GitHub's limit on a comment's length. */
export const COMMENT_LIMIT = 65536;
/** The margin leaves room for a bot's own header around the comment. */
export const COMMENT_BUDGET = COMMENT_LIMIT - 1536;

/**
 * The first rendering under the budget: `render` renders with the caller's current caps, naming in `cut` what they
 * leave out; `shrink` tightens the caps by a step given the last length (false when there is nothing left to cut).
 * The last resort cuts the text itself.
 */
export function fitComment(render: (cut: string[]) => string, shrink: (length: number) => boolean): string {
  for (;;) {
    const cut: string[] = [];
    const text = render(cut);
    if (text.length <= COMMENT_BUDGET) return text;
    if (!shrink(text.length)) return text.slice(0, COMMENT_BUDGET - 200) + `\n\n_Cut at GitHub's ${COMMENT_LIMIT}-character comment limit._\n`;
  }
}

/** The note at the end of a comment that was cut: what is not shown, and where everything is. */
export function cutNote(cut: readonly string[], everything: string): string {
  return `_Cut to stay under GitHub's ${COMMENT_LIMIT.toLocaleString('en-US')}-character comment limit: ${cut.join(', ')} not shown; ${everything}._`;
}

/** A cap made smaller for a text `length` long: in proportion to the overshoot, and by one at least. */
export function shrunk(cap: number, length: number): number {
  return Math.max(0, Math.min(cap - 1, Math.floor((cap * COMMENT_BUDGET) / length)));
}
