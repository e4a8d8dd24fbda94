import type { Messages } from '../messages-type.ts';

export const modes: Messages['modes'] = {
  nav: { named: '나란히 비교', chat: '대화' },
  models: {
    loading: '모델 목록을 불러오는 중…',
    none: '지금 쓸 수 있는 모델이 없습니다.',
    failed: '모델 목록을 불러오지 못했습니다. 페이지를 새로 고쳐 다시 시도해 주세요.',
    off: '{name} (꺼짐)',
  },
  named: {
    intro: '두 모델을 골라 이름을 보면서 답변을 나란히 비교해 보세요. 투표는 기록되지만 블라인드 순위에는 반영되지 않습니다.',
    pick: '모델',
    left: '왼쪽 (모델 A)',
    right: '오른쪽 (모델 B)',
    same: '서로 다른 두 모델을 고르세요.',
    outcome: {
      a: '더 나은 답변으로 고른 모델: {name}',
      b: '더 나은 답변으로 고른 모델: {name}',
      tie: '비슷하다고 판단했습니다.',
      bothbad: '둘 다 별로라고 판단했습니다.',
    },
    notCounted: '투표를 기록했습니다. 이름을 보고 한 투표는 블라인드 순위에 반영되지 않고, 전체 투표 보기에만 포함됩니다.',
    newComparison: '새 비교',
    ending: {
      model_failed: '모델 하나가 답하지 못해 이 비교에는 투표할 수 없어요. 같은 질문을 다시 보내거나 다른 모델을 골라 보세요.',
      restart: '답변이 오는 도중에 서버가 다시 시작되었습니다. 질문을 다시 보내 보세요.',
      stopped: '중단했습니다. 이 비교에는 더 이상 투표할 수 없어요.',
      retry: '같은 모델에게 다시 묻기',
    },
  },
  chat: {
    intro: '모델 하나를 골라 대화하며 직접 써 보세요. 대화는 저장되지만 어떤 점수나 순위에도 반영되지 않습니다.',
    model: '모델',
    answer: '답변',
    prompt: { first: '메시지를 입력하세요…', followUp: '답장하기 (모델은 지금까지의 대화를 모두 봅니다)…' },
    newChat: '새 대화',
    feedback: {
      group: '이 답변에 대한 의견',
      up: '좋은 답변',
      down: '별로인 답변',
      flag: '신고',
      flagged: '관리자에게 신고했습니다',
      flaggedWith: '관리자에게 신고했습니다: {reason}',
      unflag: '신고 취소',
      reason: '이유 (선택)',
      send: '신고하기',
      cancel: '취소',
    },
    problems: { stop: '서버에 연결할 수 없어 답변을 중단하지 못했습니다.', feedback: '의견을 저장하지 못했습니다. 다시 시도해 주세요.' },
  },
};
