/**
 * The language of a prompt (pure): Korean, English, Chinese, Japanese, or other. Scripts decide
 * first, by words, so a Korean sentence full of English terms ("React에서 useEffect 쓰는 법")
 * stays Korean and an English question quoting one Korean word stays English; tinyld then tells
 * English from the other languages written in Latin letters. Code, URLs and inline code are not
 * language and are left out.
 */
// The light model: 6 MB in memory instead of 32 (the normal one, with the same rules, got 4 of 47
// terse test prompts wrong instead of 6: not worth 26 MB of every server). Scripts decide the rest.
import { detectAll } from 'tinyld/light';

export type LanguageCategory = 'lang:ko' | 'lang:en' | 'lang:zh' | 'lang:ja' | 'lang:other';

/** Enough text to decide; a long prompt says nothing more about its language. */
const SAMPLE_CHARS = 4000;

const FENCED = /(^|\n)[ \t]*(```|~~~)[^\n]*\n[\s\S]*?(\n[ \t]*\2[^\n]*(?=\n|$)|$)/g;
const INLINE_CODE = /`[^`\n]*`/g;
const URL = /\bhttps?:\/\/\S+|\bwww\.\S+/g;

/** The prose of a text: without fenced code, inline code and URLs. */
export function proseOf(text: string): string {
  return text.replace(FENCED, '\n').replace(INLINE_CODE, ' ').replace(URL, ' ');
}

enum Script {
  None,
  Hangul,
  Kana,
  Han,
  Latin,
  Other,
}

const LETTER = /\p{L}/u;

function scriptOf(cp: number): Script {
  if (cp < 0x80) return (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) ? Script.Latin : Script.None;
  if (
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0x1100 && cp <= 0x11ff) ||
    (cp >= 0x3130 && cp <= 0x318f) ||
    (cp >= 0xa960 && cp <= 0xa97f) ||
    (cp >= 0xd7b0 && cp <= 0xd7ff)
  ) {
    return Script.Hangul;
  }
  if ((cp >= 0x3040 && cp <= 0x30ff) || (cp >= 0x31f0 && cp <= 0x31ff) || (cp >= 0xff66 && cp <= 0xff9f)) return Script.Kana;
  if ((cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x2ffff)) return Script.Han;
  if ((cp >= 0xc0 && cp <= 0x24f && cp !== 0xd7 && cp !== 0xf7) || (cp >= 0x1e00 && cp <= 0x1eff)) return Script.Latin;
  return LETTER.test(String.fromCodePoint(cp)) ? Script.Other : Script.None;
}

/** Words per script, and CJK characters per script (which decide between Korean, Japanese and Chinese). */
interface ScriptCounts {
  cjkWords: number;
  latinWords: number;
  otherWords: number;
  hangul: number;
  kana: number;
  han: number;
  latinText: string[];
}

function countScripts(text: string): ScriptCounts {
  const counts: ScriptCounts = { cjkWords: 0, latinWords: 0, otherWords: 0, hangul: 0, kana: 0, han: 0, latinText: [] };
  for (const word of text.split(/\s+/)) {
    let hangul = 0;
    let kana = 0;
    let han = 0;
    let latin = 0;
    let other = 0;
    for (const ch of word) {
      const script = scriptOf(ch.codePointAt(0)!);
      if (script === Script.Hangul) hangul++;
      else if (script === Script.Kana) kana++;
      else if (script === Script.Han) han++;
      else if (script === Script.Latin) latin++;
      else if (script === Script.Other) other++;
    }
    if (hangul + kana + han > 0) {
      // Korean separates words with spaces; Chinese and Japanese do not, so there every two
      // characters count as a word.
      counts.cjkWords += hangul > 0 ? 1 : Math.ceil((kana + han) / 2);
      counts.hangul += hangul;
      counts.kana += kana;
      counts.han += han;
    } else if (latin > 0 && latin >= other) {
      counts.latinWords++;
      counts.latinText.push(word);
    } else if (other > 0) counts.otherWords++;
  }
  return counts;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** What tinyld reads at most: its cost grows with the text (about 3 µs a character), its answer hardly does. */
const DETECT_CHARS = 200;
/** The Latin-script languages tinyld may name: fewer candidates, fewer far-fetched guesses on short text. */
const LATIN_LANGUAGES = ['en', 'fr', 'de', 'es', 'it', 'pt', 'nl', 'pl', 'tr', 'id', 'vi', 'sv', 'cs', 'ro', 'hu', 'da', 'fi', 'no'];
/** Words found in English prompts and in no other common Latin-script language. */
const ENGLISH_WORDS = new Set(
  'the are were of and that this what how why which who whose with you your it its please explain about from have will would should could does write tell give make'.split(
    ' ',
  ),
);

/** An eighth of the first words English-only: English, without asking tinyld (the common case, and the cheap one). */
function looksEnglish(words: string[]): boolean {
  const first = words.slice(0, 40);
  const english = first.filter((w) => ENGLISH_WORDS.has(w.toLowerCase().replace(/[^a-z']/g, ''))).length;
  return english > 0 && english * 8 >= first.length;
}

/**
 * English or another language, for Latin text. Terse English without function words
 * ("Kubernetes deployment strategies comparison") reads like anything to tinyld: English close
 * behind its first guess counts, and so do a few plain ASCII words it is unsure of ("hello").
 */
function latinLanguage(words: string[]): LanguageCategory {
  if (looksEnglish(words)) return 'lang:en';
  const text = words.join(' ').slice(0, DETECT_CHARS);
  const ascii = PRINTABLE_ASCII.test(text);
  const guesses = detectAll(text, { only: LATIN_LANGUAGES });
  const [top] = guesses;
  if (!top) return ascii ? 'lang:en' : 'lang:other';
  const english = guesses.find((g) => g.lang === 'en')?.accuracy ?? 0;
  if (english >= 0.2 * top.accuracy) return 'lang:en';
  return ascii && words.length <= 3 && top.accuracy < 0.5 ? 'lang:en' : 'lang:other';
}

/** The language of a prompt (all of its turns, joined). Text without any letter is `lang:other`. */
export function languageOf(text: string): LanguageCategory {
  const counts = countScripts(proseOf(text.slice(0, SAMPLE_CHARS)));
  const { cjkWords, latinWords, otherWords } = counts;
  if (cjkWords + latinWords + otherWords === 0) return 'lang:other';
  if (cjkWords >= latinWords && cjkWords >= otherWords) {
    if (counts.kana > 0 && counts.kana >= counts.hangul) return 'lang:ja';
    return counts.hangul > 0 ? 'lang:ko' : 'lang:zh';
  }
  if (otherWords > latinWords) return 'lang:other';
  return latinLanguage(counts.latinText);
}
