import type { Messages } from '../messages-type.ts';

export const login: Messages['login'] = {
  signUpTitle: '계정 만들기',
  invited: '이 아레나에 초대받았습니다. 로그인할 때 쓸 이메일과 비밀번호를 정하세요.',
  email: '이메일',
  password: '비밀번호',
  signUp: '계정 만들기',
  errors: {
    failed: '이메일 또는 비밀번호가 맞지 않습니다.',
    inviteGone: '쓸 수 없는 초대 링크입니다 (이미 사용했거나, 철회되었거나, 만료되었어요).',
    otherEmail: '다른 이메일 주소로 받은 초대입니다.',
    emailTaken: '이 이메일로 된 계정이 이미 있습니다. 로그인해 주세요.',
  },
};
