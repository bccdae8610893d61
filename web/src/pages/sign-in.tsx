import { useState } from 'preact/hooks';
import { api, unwrap } from '../api/client';
import { ProblemNotice } from '../components/problem-notice';
import { setLanguage, useLanguage, useText } from '../i18n';
import { session } from '../session';

const texts = {
  'zh-CN': {
    title: '登录政务流', token: '访问令牌（API 密钥或单点登录 JWT）', signIn: '登录', switchTo: 'English',
    hint: '令牌与 API 所用相同（Authorization: Bearer）。只保存在本标签页，关闭即退出。',
  },
  en: {
    title: 'Sign in to Zhengwu Flow', token: 'Access token (API key or SSO JWT)', signIn: 'Sign in', switchTo: '中文',
    hint: 'The same token the API takes (Authorization: Bearer). Kept in this tab only; closing it signs you out.',
  },
};

/** Sign-in with a token as the API accepts it; GET /me says who it is before the console opens. */
export function SignInPage() {
  const t = useText(texts);
  const language = useLanguage();
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function signIn(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const candidate = token.trim();
    try {
      const me = await unwrap(api.GET('/me', { headers: { Authorization: `Bearer ${candidate}` } }));
      session.signIn(candidate, me);
    } catch (refused) {
      setError(refused);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="sign-in">
      <h1>{t.title}</h1>
      <form onSubmit={signIn}>
        <label for="token">{t.token}</label>
        <input id="token" name="token" type="password" autoComplete="off" required value={token} onInput={(e) => setToken(e.currentTarget.value)} />
        <p class="hint">{t.hint}</p>
        <ProblemNotice error={error} />
        <button type="submit" disabled={busy || !token.trim()}>{t.signIn}</button>
      </form>
      <button type="button" class="link" onClick={() => setLanguage(language === 'zh-CN' ? 'en' : 'zh-CN')}>{t.switchTo}</button>
    </main>
  );
}
