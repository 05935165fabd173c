import { PaymentFileError } from './file-error.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * A file's text. Every format read here is UTF-8 (ASCII is UTF-8); a file in a legacy code page
 * such as Windows-1258 is refused rather than read as mojibake. A byte-order mark is dropped.
 */
export function fileText(content: string | Uint8Array): string {
  let text: string;
  if (typeof content === 'string') {
    text = content;
  } else {
    try {
      text = UTF8.decode(content);
    } catch {
      throw new PaymentFileError('MALFORMED_FILE', 'The file is not UTF-8 text');
    }
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Turns character offsets into line numbers (from 1), for parsers that only know where a node began. */
export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(text: string) {
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) this.lineStarts.push(at + 1);
  }

  lineAt(offset: number): number {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.lineStarts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  }
}
