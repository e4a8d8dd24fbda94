import type { Messages } from '../messages-type.ts';

export const charts: Messages['charts'] = {
  heading: '차트',
  failed: '차트를 불러오지 못했습니다.',
  loadingHistory: '점수 기록을 불러오는 중…',
  noHistory: '이 보기 조건에는 아직 점수 기록이 없습니다.',
  noPricing: '이 보기 조건에는 가격이 설정된 모델이 없어 가격 차트를 그리지 않습니다.',
  model: '모델',
  rating: '점수',
  observed: {
    title: '실제 승률',
    summary: '행 모델이 열 모델과의 대결에서 이긴 비율(비슷함은 절반으로 계산)을 칸마다 적었습니다. 만난 적이 없으면 대시로 표시합니다.',
  },
  battles: {
    title: '모델 간 대결 수',
    summary: '행 모델과 열 모델 사이에 집계된 투표 수를 칸마다 적었습니다.',
  },
  heatmap: {
    caption: '{title}: 행 모델 대 열 모델',
    cell: '{row} 대 {col}: {value}',
    never: '{row}, {col}: 만난 적 없음',
    noBattles: '대결 없음',
  },
  intervals: {
    title: '점수와 95% 신뢰 구간',
    summary: '모델마다 점수(마름모)와 95% 신뢰도로 점수가 놓이는 범위(막대)를 보여 줍니다. 막대가 겹치는 모델끼리는 순서가 확정되지 않았습니다.',
    axis: '{method} 점수',
    point: '{name}: {rating} (95% 신뢰 구간 {lower}–{upper})',
    lower: '하한',
    upper: '상한',
  },
  history: {
    title: '시간에 따른 점수',
    summary: '모델마다 하루가 끝날 때의 온라인 Elo 점수입니다. 모델마다 선과 기호가 하나씩 있고, 마지막 점에 이름을 적었습니다.',
    axis: '온라인 Elo',
    caption: '날짜별 온라인 Elo',
    day: '날짜',
    point: '{name}, {day}: {elo}',
  },
  front: {
    summary:
      '{better, select, lower {낮을수록 좋습니다. 가장 좋은 모델은 왼쪽 위에 있습니다.} other {높을수록 좋습니다. 가장 좋은 모델은 오른쪽 위에 있습니다.}} 점선 위의 채워진 마름모가 최적선입니다. 이 모델들보다 점수가 더 높으면서 {betterWord} 모델은 없습니다. 속이 빈 원은 나머지 모델입니다.',
    point: '{name}: 점수 {rating}, {x}{onFront, select, yes { (최적선 위)} other {}}',
    onFront: '최적선 위',
    yes: '예',
    no: '아니요',
    price: { title: '가격 대비 점수', axis: '답변 {count, number}개당 비용', better: '더 저렴한' },
    tokens: { title: '속도 대비 점수', axis: '초당 토큰', better: '더 빠른' },
    ttft: { title: '첫 토큰 시간 대비 점수', axis: '첫 토큰까지 걸린 시간', better: '더 빨리 답하기 시작하는' },
  },
  winMatrix: {
    caption: '행 모델이 열 모델을 이길 것으로 예측한 확률입니다 (Bradley-Terry). 둘 사이의 투표 수는 툴팁에 있습니다.',
    votes: '둘 사이의 투표 {count, plural, other {#개}}',
  },
};
