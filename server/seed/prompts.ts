/**
 * Prompts for the seeded demo, in Korean, English, Japanese and Chinese, of several kinds (general
 * questions, code, math, long documents, and follow-ups for multi-turn battles): templates with a
 * topic slot, so a few thousand battles do not all ask the same thing.
 */

export const SEED_LANGUAGES = ['ko', 'en', 'ja', 'zh'] as const;
export type SeedLanguage = (typeof SEED_LANGUAGES)[number];
export const SEED_KINDS = ['general', 'code', 'math', 'long', 'multi_turn'] as const;
export type SeedKind = (typeof SEED_KINDS)[number];

interface Bank {
  general: { templates: string[]; topics: string[] };
  code: { templates: string[]; topics: string[] };
  math: string[];
  long: { templates: string[]; passage: string[] };
  followUps: string[];
}

const BANKS: Record<SeedLanguage, Bank> = {
  ko: {
    general: {
      templates: [
        '{t}에 대해 쉽게 설명해 주세요.',
        '{t}의 장단점은 무엇인가요?',
        '초보자가 {t}을(를) 시작하려면 어떻게 해야 하나요?',
        '{t}에 관한 흔한 오해를 알려 주세요.',
      ],
      topics: [
        '서울의 대중교통',
        '김치 발효',
        '재택근무',
        '전기차 배터리',
        '한글의 창제 원리',
        '수면 습관',
        '분산 투자',
        '기후 변화',
        '반도체 공정',
        '제주도 여행',
      ],
    },
    code: {
      templates: ['Python으로 {t} 함수를 작성해 주세요.', 'TypeScript로 {t}을(를) 구현하는 code를 보여 주세요.', '{t}을(를) 하는 SQL 쿼리를 작성해 주세요.'],
      topics: ['이진 탐색', '중복 제거', 'LRU 캐시', '날짜별 매출 합계', '문자열 뒤집기', '병합 정렬', '한글 초성 추출'],
    },
    math: [
      'x² − 5x + 6 = 0 을 단계별로 풀어 주세요.',
      '1부터 100까지 자연수의 합을 구하는 방법을 설명해 주세요.',
      '넓이가 50인 원의 반지름은 얼마인가요?',
      '주사위 두 개를 던져 합이 7이 될 확률은?',
      '연 5% 복리로 100만 원을 10년 두면 얼마가 되나요?',
    ],
    long: {
      templates: ['다음 글을 세 문단으로 요약하고 핵심 주장을 정리해 주세요.\n\n{p}', '아래 회의록을 바탕으로 실행 항목 목록을 만들어 주세요.\n\n{p}'],
      passage: [
        '우리 팀은 지난 분기 동안 고객 문의 응답 시간을 줄이기 위해 여러 가지 실험을 진행했다.',
        '첫째, 자주 묻는 질문을 정리한 문서를 만들고 상담원이 바로 참고할 수 있게 했다.',
        '둘째, 야간 문의는 다음 날 오전에 우선 처리하도록 순서를 바꾸었다.',
        '셋째, 반복되는 요청은 양식으로 받아 자동으로 분류했다.',
        '그 결과 평균 응답 시간은 크게 줄었지만, 복잡한 문의의 만족도는 오히려 조금 떨어졌다.',
        '다음 분기에는 복잡한 문의를 전담하는 담당자를 두는 방안을 검토하기로 했다.',
      ],
    },
    followUps: ['좀 더 자세히 설명해 주세요.', '예시를 하나 더 들어 주실 수 있나요?', '방금 답을 세 줄로 요약해 주세요.', '그 방법의 단점은 무엇인가요?'],
  },
  en: {
    general: {
      templates: [
        'Explain {t} in simple terms.',
        'What are the pros and cons of {t}?',
        'How should a beginner get started with {t}?',
        'What do people most often get wrong about {t}?',
      ],
      topics: [
        'remote work',
        'compound interest',
        'sourdough baking',
        'solar panels',
        'the French Revolution',
        'sleep hygiene',
        'index funds',
        'marathon training',
        'DNS',
        'houseplants',
      ],
    },
    code: {
      templates: [
        'Write a Python function for {t}.',
        'Show me TypeScript code that implements {t}.',
        'Write a SQL query for {t}.',
        'Write a bash script for {t}.',
      ],
      topics: ['binary search', 'deduplicating a list', 'an LRU cache', 'daily sales totals', 'reversing a string', 'merge sort', 'parsing CSV lines'],
    },
    math: [
      'Solve x^2 - 5x + 6 = 0 step by step.',
      'What is the sum of the integers from 1 to 100, and why?',
      'A circle has area 50. What is its radius?',
      'What is the probability that two dice sum to 7?',
      'Prove that the square root of 2 is irrational.',
    ],
    long: {
      templates: [
        'Summarise the following report in three paragraphs and list its main claims.\n\n{p}',
        'Turn these meeting notes into a list of action items.\n\n{p}',
      ],
      passage: [
        'Over the last quarter our team ran several experiments to shorten the response time to customer questions.',
        'First, we wrote a knowledge base of frequent questions that agents can open next to any ticket.',
        'Second, questions that arrive overnight are now handled first thing in the morning, before new ones.',
        'Third, repeated requests come in through a form and are sorted automatically.',
        'Average response time fell sharply, but satisfaction with complex questions dropped slightly.',
        'Next quarter we will consider a dedicated owner for complex questions.',
      ],
    },
    followUps: [
      'Can you go into more detail?',
      'Could you give one more example?',
      'Summarise your answer in three lines.',
      'What are the downsides of that approach?',
    ],
  },
  ja: {
    general: {
      templates: ['{t}について分かりやすく説明してください。', '{t}のメリットとデメリットは何ですか？', '初心者が{t}を始めるにはどうすればいいですか？'],
      topics: ['東京の通勤', '味噌づくり', 'リモートワーク', '電気自動車', '俳句', '睡眠の質', '積立投資', '防災の備え'],
    },
    code: {
      templates: ['Pythonで{t}の関数を書いてください。', 'TypeScriptで{t}を実装するcodeを見せてください。', '{t}のSQLクエリを書いてください。'],
      topics: ['二分探索', '重複の削除', 'LRUキャッシュ', '日別の売上集計', '文字列の反転'],
    },
    math: ['x² − 5x + 6 = 0 を順を追って解いてください。', '1から100までの整数の和を求めてください。', 'サイコロを2つ振って合計が7になる確率は？'],
    long: {
      templates: ['次の文章を3段落で要約し、主な主張をまとめてください。\n\n{p}'],
      passage: [
        '私たちのチームは前四半期、顧客からの問い合わせへの回答時間を短くするためにいくつかの実験を行った。',
        'まず、よくある質問をまとめた資料を作り、担当者がすぐ参照できるようにした。',
        '次に、夜間の問い合わせを翌朝に優先して処理する順番に変えた。',
        'その結果、平均回答時間は大きく短縮されたが、複雑な問い合わせの満足度はやや下がった。',
      ],
    },
    followUps: ['もう少し詳しく説明してください。', '別の例を挙げてもらえますか？', '今の答えを3行でまとめてください。'],
  },
  zh: {
    general: {
      templates: ['请用简单的话解释{t}。', '{t}有哪些优点和缺点？', '初学者应该如何开始{t}？'],
      topics: ['北京的公共交通', '茶叶的发酵', '远程办公', '电动汽车电池', '唐诗', '睡眠习惯', '指数基金', '城市绿化'],
    },
    code: {
      templates: ['用Python写一个{t}的函数。', '请给出用TypeScript实现{t}的code。', '写一个{t}的SQL查询。'],
      topics: ['二分查找', '列表去重', 'LRU缓存', '按日汇总销售额', '字符串反转'],
    },
    math: ['请一步一步解方程 x² − 5x + 6 = 0。', '从1加到100的和是多少？为什么？', '掷两个骰子点数和为7的概率是多少？'],
    long: {
      templates: ['请把下面的报告总结成三段，并列出主要观点。\n\n{p}'],
      passage: [
        '上个季度，我们团队为了缩短客户咨询的响应时间做了几项尝试。',
        '首先，我们整理了常见问题文档，让客服可以随时查阅。',
        '其次，夜间收到的咨询改为第二天上午优先处理。',
        '结果平均响应时间明显缩短，但复杂问题的满意度略有下降。',
      ],
    },
    followUps: ['能再详细一点吗？', '可以再举一个例子吗？', '请用三行总结你的回答。'],
  },
};

/** A uniform pick with the seeded source. */
export type Pick = <T>(items: readonly T[]) => T;

/** A long document: the passage's sentences, shuffled and repeated to well over a thousand characters. */
function longDocument(passage: readonly string[], pick: Pick): string {
  const sentences: string[] = [];
  while (sentences.join(' ').length < 1400) sentences.push(pick(passage));
  return sentences.join(' ');
}

/** The user turns of one battle of this language and kind. */
export function promptsFor(language: SeedLanguage, kind: SeedKind, pick: Pick, turns: number): string[] {
  const bank = BANKS[language];
  const first = (k: Exclude<SeedKind, 'multi_turn'>): string => {
    if (k === 'math') return pick(bank.math);
    if (k === 'long') return pick(bank.long.templates).replace('{p}', longDocument(bank.long.passage, pick));
    const { templates, topics } = bank[k];
    return pick(templates).replace('{t}', pick(topics));
  };
  if (kind !== 'multi_turn') return [first(kind)];
  const prompts = [first(pick(['general', 'code', 'math'] as const))];
  while (prompts.length < turns) prompts.push(pick(bank.followUps));
  return prompts;
}
