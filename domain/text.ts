import { z } from 'zod';

/**
 * Text that people type — names, units, reasons — normalised once, in the shared schemas, so the API,
 * the workflows and the system of record all hold the same string: Unicode NFC, no surrounding white
 * space, and none of the characters that make two texts look alike while differing (zero-width
 * spaces, direction overrides and other format characters), nor control characters (NUL, ESC) or
 * broken UTF-16 (lone surrogates, which storage would silently turn into U+FFFD).
 */
const FORBIDDEN_IN_LINE = /[\p{Cc}\p{Cf}\p{Cs}]/u;
/** Long texts keep their line breaks and tabs; every other control or format character is refused. */
const FORBIDDEN_IN_PARAGRAPHS = /(?![\n\t])[\p{Cc}\p{Cf}\p{Cs}]/u;
const FORBIDDEN_MESSAGE = 'must not contain control characters, invisible format characters (zero-width, direction marks) or broken characters';

const normalised = (forbidden: RegExp, min: number, max: number, empty: string) =>
  z
    .string()
    // Windows line ends (a textarea posts CRLF) are line ends, not control characters.
    .transform((text) => text.replace(/\r\n?/g, '\n').normalize('NFC').trim())
    .pipe(z.string().refine((text) => !forbidden.test(text), FORBIDDEN_MESSAGE).min(min, empty).max(max));

/** A one-line text: a name, a unit, a title. */
export const lineText = (max: number, min = 1, empty = 'must not be empty') => normalised(FORBIDDEN_IN_LINE, min, max, empty);

/** A text that may run over lines: a summary, a reason, an explanation. */
export const paragraphText = (max: number, min = 1, empty = 'must not be empty') => normalised(FORBIDDEN_IN_PARAGRAPHS, min, max, empty);
