import type { Messages } from '../messages-type.ts';

export const common: Messages['common'] = {
  appName: 'Arena',
  nav: { label: '주 메뉴', battle: '대결', leaderboard: '순위표', history: '기록', evaluations: '평가', admin: '관리' },
  account: { signIn: '로그인', signOut: '로그아웃', who: '{email} · {role}' },
  language: { label: '언어' },
  theme: { label: '테마', system: '시스템 설정', light: '밝게', dark: '어둡게' },
  roles: { admin: '관리자', member: '구성원', viewer: '열람자', anonymous: '방문자', guest: '손님' },
  connection: {
    lost: '연결이 끊겼습니다. 다시 연결하는 중… (진행 중인 대결과 보낸 투표는 그대로 남아 있어요)',
    restarting: '서버가 다시 시작되고 있습니다. 이 페이지는 스스로 다시 연결됩니다 (진행 중인 대결과 보낸 투표는 그대로 남아 있어요)',
  },
  categories: {
    'lang:ko': '한국어',
    'lang:en': '영어',
    'lang:zh': '중국어',
    'lang:ja': '일본어',
    'lang:other': '기타 언어',
    coding: '코딩',
    math: '수학',
    long: '긴 질문',
    multi_turn: '멀티턴 대화',
    evaluation: '팀 평가',
  },
  loading: '불러오는 중…',
  roleCannotOpen: '현재 역할({role})로는 이 페이지를 열 수 없습니다. <link>순위표</link>는 누구나 볼 수 있어요.',
  errors: {
    invalid_input: '{field, select, other {{field}: 받을 수 없는 값입니다.} none {요청이 올바르지 않습니다.}}',
    unauthorized: '로그인한 뒤에 이용할 수 있어요.',
    forbidden: '현재 역할로는 할 수 없는 작업입니다.',
    not_found: '찾을 수 없습니다 (또는 볼 수 있는 권한이 없어요).',
    not_finished: '두 답변이 모두 끝나야 합니다.',
    already_voted: '이 대결에는 이미 투표했습니다.',
    battle_failed: '이 대결에서 모델 하나가 답하지 못해 투표할 수 없어요. 새 대결을 시작해 주세요.',
    battle_closed: '중단되었거나 너무 오래 투표하지 않은 대결입니다. 새 대결을 시작해 주세요.',
    conflict: '현재 상태와 맞지 않습니다. 새로 고친 뒤 다시 시도해 주세요.',
    rate_limited:
      '{hasRetry, select, yes {요청이 너무 많습니다. {seconds}초 뒤에 다시 시도해 주세요.} other {요청이 너무 많습니다. 잠시 뒤에 다시 시도해 주세요.}}',
    unavailable: '지금은 서비스를 이용할 수 없습니다. 잠시 뒤에 다시 시도해 주세요.',
    internal: '서버에서 문제가 생겼습니다.',
  },
};
