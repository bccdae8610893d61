import { useEffect } from 'preact/hooks';
import { currentLanguage, setLanguage, useLanguage, useNames, useText } from './i18n';
import { href, useRoute } from './router';
import { session, useMe, type Me } from './session';
import { SignInPage } from './pages/sign-in';
import { InboxPage } from './pages/inbox';
import { ProjectsPage } from './pages/projects';
import { RegisterPage } from './pages/register';
import { ProjectPage } from './pages/project';
import { FinancePage } from './pages/finance';
import { PlanPage } from './pages/plan';
import { CloudPage } from './pages/cloud';
import { MonitoringPage } from './pages/monitoring';

const texts = {
  'zh-CN': {
    product: '政务流 · 政务信息化项目全生命周期管理',
    inbox: '待办评审', projects: '项目', register: '申报项目', finance: '财务看板', plan: '年度计划', cloud: '政务云资源', monitoring: '运行监测',
    signOut: '退出', switchTo: 'English', signedInAs: '当前用户', nav: '主导航', notFound: '没有这个页面',
  },
  en: {
    product: 'Zhengwu Flow · government IT projects from proposal to retirement',
    inbox: 'Review inbox', projects: 'Projects', register: 'Register a proposal', finance: 'Finance', plan: 'Annual plan', cloud: 'Cloud resources', monitoring: 'Monitoring',
    signOut: 'Sign out', switchTo: '中文', signedInAs: 'Signed in as', nav: 'Main navigation', notFound: 'No such page',
  },
};

type PageKey = 'inbox' | 'projects' | 'register' | 'finance' | 'plan' | 'cloud' | 'monitoring';

/** The pages each role has a use for; the API still decides every call. */
const pagesFor: Record<string, PageKey[]> = {
  unit: ['projects', 'register', 'inbox', 'cloud'],
  county: ['projects', 'cloud'],
  reviewOffice: ['inbox', 'projects', 'register', 'plan', 'cloud', 'monitoring'],
  finance: ['finance', 'inbox', 'projects', 'monitoring'],
  audit: ['finance', 'projects', 'monitoring'],
  auditor: ['finance', 'projects', 'monitoring'],
  admin: ['projects', 'plan', 'cloud', 'monitoring'],
  cloudProvider: ['cloud', 'projects'],
};
const pagesOf = (role: string): PageKey[] => pagesFor[role] ?? ['inbox', 'projects', 'cloud'];

export function App() {
  const me = useMe();
  const language = useLanguage();
  useEffect(() => {
    document.documentElement.lang = currentLanguage();
  }, [language]);
  if (!me) return <SignInPage />;
  return <Shell me={me} />;
}

function Shell({ me }: { me: Me }) {
  const t = useText(texts);
  const names = useNames();
  const route = useRoute();
  const pages = pagesOf(me.role);
  const [first = pages[0], second] = route;
  const active = first === 'projects' && second === 'new' ? 'register' : first;
  return (
    <div class="shell">
      <header class="top">
        <a class="brand" href={href(pages[0]!)}>{t.product}</a>
        <div class="who" data-testid="who">
          <span class="sr-only">{t.signedInAs}</span>
          <strong>{me.id}</strong> · {names.role(me.role)}
          {me.unit && <> · {me.unit}</>}
        </div>
        <button type="button" class="link" onClick={() => setLanguage(names.language === 'zh-CN' ? 'en' : 'zh-CN')} lang={names.language === 'zh-CN' ? 'en' : 'zh-CN'}>
          {t.switchTo}
        </button>
        <button type="button" class="link" onClick={() => session.signOut()}>{t.signOut}</button>
      </header>
      <nav aria-label={t.nav}>
        {pages.map((page) => (
          <a key={page} href={page === 'register' ? href('projects', 'new') : href(page)} aria-current={active === page ? 'page' : undefined}>
            {t[page]}
          </a>
        ))}
      </nav>
      <main>{page(first!, route.slice(1), me, t.notFound)}</main>
    </div>
  );
}

function page(first: string, rest: string[], me: Me, notFound: string) {
  switch (first) {
    case 'inbox':
      return <InboxPage />;
    case 'projects':
      if (rest[0] === 'new') return <RegisterPage me={me} />;
      return rest[0] ? <ProjectPage projectId={rest[0]} me={me} /> : <ProjectsPage me={me} />;
    case 'finance':
      return <FinancePage />;
    case 'plan':
      return <PlanPage />;
    case 'cloud':
      return <CloudPage me={me} />;
    case 'monitoring':
      return <MonitoringPage />;
    default:
      return <p>{notFound}</p>;
  }
}
