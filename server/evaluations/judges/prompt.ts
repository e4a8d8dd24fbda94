/**
 * What a judge is sent (pure): the judging instructions as the system message, then the
 * conversation and both answers in a fixed frame (Arena-Hard-Auto's for one turn, MT-Bench's
 * for several), with the answers in the order asked for.
 */
import type { ChatMessage } from '../../providers/types.ts';

export interface JudgeInput {
  /** User turns, oldest first. */
  turns: readonly string[];
  /** The answer shown as "A" to each turn, and the one shown as "B". */
  first: readonly string[];
  second: readonly string[];
}

function singleTurn(input: JudgeInput): string {
  return [
    `<|User Prompt|>\n${input.turns[0] ?? ''}`,
    `<|The Start of Assistant A's Answer|>\n${input.first[0] ?? ''}\n<|The End of Assistant A's Answer|>`,
    `<|The Start of Assistant B's Answer|>\n${input.second[0] ?? ''}\n<|The End of Assistant B's Answer|>`,
  ].join('\n\n');
}

function conversation(turns: readonly string[], answers: readonly string[], side: 'A' | 'B'): string {
  const body = turns.map((turn, t) => `### User:\n${turn}\n\n### Assistant ${side}:\n${answers[t] ?? ''}`).join('\n\n');
  return `<|The Start of Assistant ${side}'s Conversation with User|>\n\n${body}\n\n<|The End of Assistant ${side}'s Conversation with User|>`;
}

export function judgeMessages(instructions: string, input: JudgeInput): ChatMessage[] {
  const user =
    input.turns.length <= 1
      ? singleTurn(input)
      : `${conversation(input.turns, input.first, 'A')}\n\n\n${conversation(input.turns, input.second, 'B')}\n\nJudge both assistants on the whole conversation, above all on their answers to the last user turn.`;
  return [
    { role: 'system', content: instructions },
    { role: 'user', content: user },
  ];
}
