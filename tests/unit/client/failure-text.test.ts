import { describe, expect, it } from 'vitest';
import { I18n } from '../../../client/src/i18n/i18n.svelte.ts';
import { failureText, type OwnWords } from '../../../client/src/lib/failure-text.ts';
import { ApiError } from '../../../client/src/lib/http.ts';

/** The sign-up form's own words (client/src/pages/LoginPage.svelte). */
const SIGN_UP: OwnWords = { not_found: 'login.errors.inviteGone', 'conflict:email': 'login.errors.emailTaken' };

describe('the words for a failed request', () => {
  const en = new I18n('en');
  const ko = new I18n('ko');

  it("shows the server's own words on an English page, whatever the page knows", () => {
    const taken = new ApiError({ code: 'conflict', message: 'an account with this email exists; sign in instead', field: 'email' });
    expect(failureText(en, taken, SIGN_UP)).toBe('an account with this email exists; sign in instead');
  });

  it("uses the page's words for a refusal it knows, by code and field first, then by code", () => {
    const taken = new ApiError({ code: 'conflict', message: 'an account with this email exists; sign in instead', field: 'email' });
    expect(failureText(ko, taken, SIGN_UP)).toBe('이 이메일로 된 계정이 이미 있습니다. 로그인해 주세요.');
    const gone = new ApiError({ code: 'not_found', message: 'this invite link is not valid (used, revoked or expired)' });
    expect(failureText(ko, gone, SIGN_UP)).toBe('쓸 수 없는 초대 링크입니다 (이미 사용했거나, 철회되었거나, 만료되었어요).');
  });

  it("falls back to the words for the code, with the server's words after them, for a refusal the page does not know", () => {
    const other = new ApiError({ code: 'conflict', message: 'the invite was already used or revoked', field: 'invite' });
    expect(failureText(ko, other, SIGN_UP)).toBe('현재 상태와 맞지 않습니다. 새로 고친 뒤 다시 시도해 주세요. (the invite was already used or revoked)');
  });

  it("never takes a proxy's page for the server's refusal, and says the service is unavailable when there was no answer", () => {
    const proxy = new ApiError({ code: 'internal', message: 'HTTP 502' }, false);
    expect(failureText(ko, proxy, { internal: 'login.errors.failed' })).toBe('서버에서 문제가 생겼습니다. (HTTP 502)');
    expect(failureText(ko, new TypeError('Failed to fetch'))).toBe('지금은 서비스를 이용할 수 없습니다. 잠시 뒤에 다시 시도해 주세요. (Failed to fetch)');
    expect(failureText(en, new TypeError('Failed to fetch'))).toBe('Failed to fetch');
  });
});
