import { describe, expect, it } from 'vitest';
import { untranslated } from '../../scripts/check-i18n.ts';

describe('the template language check', () => {
  it('finds words written into a template, and leaves code, names of methods and expressions alone', () => {
    const source = [
      '<script>const x = "not checked";</script>',
      '<h1>Leaderboard</h1>',
      '<p>{i18n.t("a.b")}</p>',
      '<button aria-label="Close">×</button>',
      '<input placeholder={i18n.t("c")} />',
      '<code>npx arena seed</code>',
      '<span>Elo · BT</span>',
      '{#if x}<Foo label="Pick one" />{/if}',
      '<style>p { color: red; }</style>',
    ].join('\n');
    expect(untranslated(source, 'X.svelte').map((f) => [f.line, f.text])).toEqual([
      [2, 'Leaderboard'],
      [4, 'aria-label="Close"'],
      [8, 'label="Pick one"'],
    ]);
  });
});
