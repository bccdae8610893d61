import { yuanAmount } from '../../domain/project';

/** Money is integer fen everywhere in the API; people read yuan. */
export const yuan = (fen: number): string => `¥${yuanAmount(fen)}`;

/** An instant as a Beijing date and time (the business calendar's zone), whatever the browser's zone. */
export function beijingTime(instant: string): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return instant;
  return new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(date);
}

/** Today's business date in Beijing (for the default ranges of the finance pages). */
export function beijingToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

/**
 * "1,500,000.5" yuan → 150000050 fen, exactly (no floating point); NaN when it is not an amount, which
 * the API's schema then refuses naming the field.
 */
export function fenOf(yuanText: string): number {
  const match = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(yuanText.replace(/[,\s]/g, ''));
  if (!match) return Number.NaN;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** A textarea's lines, trimmed, the empty ones dropped: reasons, experts. */
export const linesOf = (text: string): string[] => text.split('\n').map((line) => line.trim()).filter(Boolean);
