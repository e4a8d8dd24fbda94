/**
 * The demo models in Korean, for prompts written in Hangul: the same four styles and qualities as
 * demo-writer.ts (thorough, brief, vague, playful), written as a Korean speaker would, with the
 * particles (은/는, 이/가, 을/를, 와/과) chosen by the topic's final consonant. Deterministic.
 */

/** True when most of the prompt's letters are Hangul. */
export function isKorean(text: string): boolean {
  const letters = text.match(/\p{L}/gu) ?? [];
  if (letters.length === 0) return false;
  const hangul = letters.filter((c) => /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]/.test(c)).length;
  return hangul / letters.length >= 0.5;
}

/** Whether a word ends in a consonant (받침), which decides the particle that follows it. */
function hasFinalConsonant(word: string): boolean {
  const last = word.trim().at(-1) ?? '';
  const code = last.charCodeAt(0);
  if (code >= 0xac00 && code <= 0xd7a3) return (code - 0xac00) % 28 !== 0;
  // Latin words and digits: read as their Korean pronunciation usually ends in a vowel, except these.
  return /[lmnrkptb136780]$/i.test(last);
}

type Particle = '은' | '이' | '을' | '과';
const PAIRS: Record<Particle, [string, string]> = { 은: ['은', '는'], 이: ['이', '가'], 을: ['을', '를'], 과: ['과', '와'] };

/** The form of the particle that follows `word`: 정렬 → 을, 파이썬 → 을, 코드 → 를. */
export function particleFor(word: string, particle: Particle): string {
  const [afterConsonant, afterVowel] = PAIRS[particle];
  return hasFinalConsonant(word) ? afterConsonant : afterVowel;
}

/** `word` followed by the right form of the particle: 정렬은, 코드는, 정렬을, 코드를… */
export function withParticle(word: string, particle: Particle): string {
  return `${word}${particleFor(word, particle)}`;
}

const PARTICLES = [
  '으로부터',
  '에서는',
  '에게서',
  '으로는',
  '이라는',
  '라는',
  '에서',
  '에게',
  '으로',
  '까지',
  '부터',
  '처럼',
  '보다',
  '은',
  '는',
  '이',
  '가',
  '을',
  '를',
  '에',
  '의',
  '로',
  '와',
  '과',
  '도',
  '만',
  '요',
];
const VERB_ENDINGS = [
  '하는지',
  '되는지',
  '하려면',
  '해주세요',
  '해줘요',
  '하는',
  '하기',
  '하면',
  '해서',
  '하고',
  '했던',
  '한다',
  '하다',
  '해줘',
  '되는',
  '적인',
  '적으로',
  '스러운',
];
const KOREAN_STOPWORDS = new Set([
  '설명해',
  '설명해줘',
  '설명해주세요',
  '알려줘',
  '알려주세요',
  '어떻게',
  '무엇',
  '무엇인가요',
  '뭐야',
  '해줘',
  '해주세요',
  '대해',
  '대해서',
  '관해',
  '그리고',
  '하지만',
  '있나요',
  '있어',
  '좋은',
  '방법',
  '어떤',
  '있는',
  '하는',
  '합니다',
  '주세요',
  '써줘',
  '작성해줘',
  '비교해줘',
  '차이',
  '차이점',
  '그냥',
  '무엇인지',
  '뭔지',
  '어떻게',
  '왜',
  '것',
  '수',
  '등',
  '더',
  '좀',
  '잘',
  '뭐',
  '꼭',
  '짜',
  '줘',
]);

/** The prompt's most frequent content words, particles stripped (the subject usually comes early). */
export function koreanKeywords(prompt: string, max = 3): string[] {
  const seen = new Map<string, { count: number; first: number }>();
  let position = 0;
  for (const raw of prompt.normalize('NFC').match(/[\p{L}\p{N}][\p{L}\p{N}+#-]*/gu) ?? []) {
    position++;
    let word = raw.toLowerCase();
    if (KOREAN_STOPWORDS.has(word)) continue;
    // "정렬하는" → "정렬", "리스트를" → "리스트", "차의" → "차": the content word without its ending.
    const ending = VERB_ENDINGS.find((e) => word.length > e.length && word.endsWith(e)) ?? PARTICLES.find((p) => word.length > p.length && word.endsWith(p));
    if (ending) word = word.slice(0, -ending.length);
    const tooShort = word.length < 2 && !/^[\uac00-\ud7a3]$/.test(word);
    if (tooShort || KOREAN_STOPWORDS.has(word) || /^\d+$/.test(word)) continue;
    const entry = seen.get(word) ?? { count: 0, first: position };
    entry.count++;
    seen.set(word, entry);
  }
  return [...seen.entries()]
    .sort((x, y) => y[1].count - x[1].count || x[1].first - y[1].first)
    .slice(0, max)
    .map(([w]) => w);
}

export type KoreanIntent = 'code' | 'list' | 'compare' | 'chat';

export function koreanIntent(prompt: string): KoreanIntent {
  const p = prompt.toLowerCase();
  if (/비교|차이|vs|보다 나은|어느 쪽/.test(p)) return 'compare';
  if (/코드|함수|프로그램|스크립트|구현|알고리즘|python|파이썬|javascript|자바스크립트|typescript|sql|rust|bash/.test(p)) return 'code';
  if (/목록|방법들|단계|팁|아이디어|예시/.test(p)) return 'list';
  return 'chat';
}

type Pick = <T>(items: readonly T[]) => T;

export function sageKo(topics: string[], intent: KoreanIntent, turn: number, pick: Pick, code: string): string {
  const topic = topics[0] ?? '질문하신 내용';
  const also = topics.slice(1);
  const compared = intent === 'compare' ? also[0] : undefined;
  const opener = compared
    ? `**${topic}**${particleFor(topic, '과')} **${compared}**${particleFor(compared, '을')} 나란히 비교해 보겠습니다.`
    : turn > 1
      ? `앞서 이야기한 내용을 이어서, **${topic}**${particleFor(topic, '을')} 조금 더 자세히 살펴보겠습니다.`
      : pick([`좋은 질문입니다. **${topic}**${particleFor(topic, '을')} 단계별로 살펴보겠습니다.`, `**${topic}**에 대해 구조적으로 정리해 드리겠습니다.`]);
  const parts = [opener, ''];
  if (intent === 'code') {
    parts.push(
      '## 접근 방법',
      '',
      `1. ${topic}의 입력과 기대하는 출력을 먼저 정합니다.`,
      '2. 테스트하기 쉽도록 함수를 순수하게 유지합니다.',
      '3. 빈 입력, 중복, 아주 큰 입력 같은 경계 사례를 처리합니다.',
      '',
      '## 코드',
      '',
      code,
      '',
      '## 복잡도',
      '',
      '정렬이 대부분을 차지합니다: 시간 **O(n log n)**, 추가 공간 **O(n)**.',
    );
  } else if (intent === 'compare' && also.length > 0) {
    const other = also[0] as string;
    parts.push(
      `| 항목 | ${topic} | ${other} |`,
      '| --- | --- | --- |',
      '| 강점 | 깊이와 세밀한 제어 | 빠른 시작 |',
      '| 단점 | 배울 것이 많음 | 나중에 덜 유연함 |',
      '| 어울리는 경우 | 오래 유지할 작업 | 빠른 실험 |',
      '',
      '**결론:** 인기보다 지금 가장 중요한 제약 조건을 기준으로 고르세요.',
    );
  } else {
    parts.push('## 핵심 정리', '', `- **무엇인가:** ${withParticle(topic, '은')} 세부 사항보다 목적을 먼저 이해하는 것이 좋습니다.`);
    if (also.length > 0)
      parts.push(`- **관련된 것:** ${also.map((t) => `*${t}*`).join(', ')}${particleFor(also.at(-1) as string, '과')} 밀접하게 연결되어 있습니다.`);
    parts.push(
      `- **왜 중요한가:** ${withParticle(topic, '을')} 초기에 제대로 잡으면 나중에 다시 작업하는 비용을 줄일 수 있습니다.`,
      `- **흔한 실수:** ${withParticle(topic, '을')} 한 번의 결정으로 보는 것입니다. 작고 검증 가능한 결정들의 연속으로 보세요.`,
      '',
      '## 실제로는',
      '',
      `작게 시작하고, 측정하고, 조정하세요. ${pick(['간단한 체크리스트가 도움이 됩니다.', '시작하기 전에 "좋은 결과"가 무엇인지 적어 두세요.', '적어도 두 가지 방법을 나란히 비교해 보세요.'])}`,
    );
  }
  parts.push('', pick(['더 자세히 알고 싶은 부분이 있으면 말씀해 주세요.', '필요하시면 어느 항목이든 더 풀어서 설명해 드릴게요.']));
  return parts.join('\n');
}

export function briskKo(topics: string[], intent: KoreanIntent, pick: Pick, code: string): string {
  const topic = topics[0] ?? '그것';
  if (intent === 'code') return `여기 있습니다:\n\n${code}`;
  if (intent === 'list') return `1. ${withParticle(topic, '을')} 분명하게 정의하세요.\n2. 가장 단순한 방법부터 시도하세요.\n3. 측정하고 고쳐 나가세요.`;
  return pick([
    `짧게 말하면, ${withParticle(topic, '은')} 목표에 달려 있습니다. 목표를 충족하는 가장 단순한 방법을 고른 뒤 다듬으세요.`,
    `한 줄 요약: ${topic}의 핵심에 집중하고, 나머지는 필요할 때 보세요.`,
  ]);
}

export function muddleKo(topics: string[], pick: Pick, count: number): string {
  const topic = topics[topics.length - 1] ?? '그런 것';
  const filler = [
    `음, ${withParticle(topic, '은')} 아주 흥미로운 주제이고 ${topic}에 대해서는 할 말이 많습니다.`,
    `어떤 사람들은 ${topic}에 대해 이렇게 생각하고, 다른 사람들은 다르게 생각합니다.`,
    '모든 요소를 고려하는 것이 중요합니다. 왜냐하면 요소는 중요하기 때문입니다.',
    `일반적으로 ${withParticle(topic, '은')} 상황에 따라, 그리고 그 상황의 맥락에 따라 좋을 수도 나쁠 수도 있습니다.`,
    '여러 측면이 있고, 각 측면에는 또 그 나름의 측면이 있습니다.',
  ];
  const out = Array.from({ length: count }, () => pick(filler));
  out.push(`${topic}에 도움이 되었기를 바랍니다. 결론적으로, 경우에 따라 다릅니다.`);
  return out.join(' ');
}

export function verseKo(topics: string[], intent: KoreanIntent, pick: Pick): string {
  const topic = topics[0] ?? '이것';
  const second = topics[1] ?? '나머지';
  const lines = [
    `*${withParticle(topic, '을')} 물으시니 한 말씀 드리리다,*`,
    '*길은 하나가 아니니 천천히 가시구려.*',
    '',
    pick([
      `먼저 왜를 묻고 그다음에 어떻게를 물으세요. ${withParticle(second, '은')} 잠시 기다려도 됩니다.`,
      `작은 걸음 하나를 잘 시험해 보세요. ${withParticle(second, '은')} 저절로 이야기를 들려줄 겁니다.`,
    ]),
    '',
  ];
  if (intent === 'code') lines.push(`코드를 원하셨으니, 작은 밑그림 하나:\n\n\`\`\`\n# ${topic}: 여기서 시작\nresult = solve(data)\n\`\`\``);
  else lines.push(`쉽게 말해, ${withParticle(topic, '은')} 인내와 분명한 목표, 그리고 결과를 솔직하게 보는 태도를 보상합니다.`);
  return lines.join('\n');
}
