import type { Messages } from '../messages-type.ts';
import { evalAdmin } from './eval-admin.ts';
import { evalResults } from './eval-results.ts';

export const evaluations: Messages['evaluations'] = {
  admin: evalAdmin,
  results: evalResults,
  status: { draft: '초안', running: '진행 중', closed: '종료됨' },
  allVotesIn: '{status} · 투표 완료',
  list: {
    title: '평가',
    intro: '팀의 질문에 대해 저장된 두 답변을 비교해 평가합니다. 1~4번 키로 투표할 수 있어요.',
    none: '지금 진행 중인 평가가 없습니다.',
    line: '— {description} · 내 투표 {mine, number}개 · 전체 투표 {cast, number} / {wanted, plural, other {#}}',
  },
  mine: '{done, number}개 문항에 투표했습니다. 남은 문항은 {remaining, number}개입니다.',
  finished: '여기서 더 평가할 문항이 없습니다. 감사합니다!',
  back: '평가 목록으로 돌아가기',
  progress: {
    generated: '생성된 답변',
    count: '{done, number} / {total, number}',
    failed: '(실패 {failed, number}개)',
    votes: '투표',
    items: '· 문항 {total, plural, other {#}}개 중 {complete, number}개 완료',
  },
  judge: {
    prompt: '질문:',
    turn: '{turn, number}번째 질문:',
    reason: '이유 (선택, 최대 {max, plural, other {#}}자)',
    reasonHint: '왜 그렇게 골랐나요? 이 칸에 커서가 없을 때 1~4번 키로 투표합니다.',
    skip: '이 문항 건너뛰기',
    skipHint: '잘 모르겠거나 전문 분야가 아닌가요? 다른 사람이 평가합니다.',
  },
};
