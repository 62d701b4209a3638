const ESC = '\u001b';
const BEL = '\u0007';

/**
 * The bytes that ask the terminal to put `text` on the clipboard: OSC 52 (`ESC ] 52 ; c ; base64 BEL`, xterm's
 * "manipulate selection data", which most terminals and tmux read). tmux takes an application's OSC 52 into its
 * paste buffer and passes it on to the outer terminal only with `set-clipboard on` (its default, `external`,
 * drops it); with `allow-passthrough on` it forwards a DCS passthrough (`ESC P tmux; …  ESC \`, every ESC inside
 * doubled) to the outer terminal untouched. In tmux both are sent: each setting takes the one it knows, and a
 * tmux that allows neither swallows both without drawing anything.
 */
export function clipboardSequence(text: string, inTmux: boolean): string {
  const osc52 = `${ESC}]52;c;${Buffer.from(text, 'utf8').toString('base64')}${BEL}`;
  if (!inTmux) return osc52;
  return `${osc52}${ESC}Ptmux;${osc52.replaceAll(ESC, ESC + ESC)}${ESC}\\`;
}
