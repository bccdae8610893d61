import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allProfiles } from '../../domain/policy';
import { citedArticles } from '../../domain/policy/catalogue';
import { CONFIGURABLE_VALUE, SERVICE_TARGET } from '../../domain/policy/profile';
import { CATALOGUE_JSON, CATALOGUE_MARKDOWN, currentCatalogue } from '../../scripts/rules-catalogue';

const root = join(__dirname, '..', '..');

/** Rules the engine enforces today that no test proves yet, each with the issue that changes it. */
const KNOWN_GAPS: Record<string, string> = {};

describe('the rules catalogue (docs/RULES-CATALOGUE.md and GET /rules)', () => {
  const { catalogue, json, markdown } = currentCatalogue(root);

  it('is what the current profiles and tests generate: the committed files are up to date (else run `npm run rules:catalogue`)', () => {
    expect(readFileSync(join(root, CATALOGUE_JSON), 'utf8')).toBe(json);
    expect(readFileSync(join(root, CATALOGUE_MARKDOWN), 'utf8')).toBe(markdown);
  });

  it('names, for every statutory rule, a test whose name cites its article (known gaps listed with their issue)', () => {
    const unproven = catalogue.rules.filter((rule) => rule.statutory && rule.provenBy.length === 0).map((rule) => rule.id);
    expect(unproven.sort()).toEqual(Object.keys(KNOWN_GAPS).sort());
  });

  it('cites an article (or 002\'s section) of the profile\'s own seed, or labels the figure a service target or configurable value — never another jurisdiction\'s article', () => {
    for (const rule of catalogue.rules) {
      const profile = allProfiles.find((p) => p.jurisdiction === rule.jurisdiction)!;
      // Seed 002 has no articles: it is cited by its numbered sections, 002 (七).
      if (rule.statutory) expect({ id: rule.id, article: rule.article }).toEqual({ id: rule.id, article: expect.stringMatching(new RegExp(`^${profile.seed}(?:(?: cloud)? §\\d+| \\([一二三四五六七八九十]+\\)$)`)) });
      else expect([SERVICE_TARGET, CONFIGURABLE_VALUE]).toContain(rule.article);
    }
  });

  it('names every rule by a stable id of its own', () => {
    const ids = catalogue.rules.map((rule) => rule.id);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
    expect(ids).toEqual(expect.arrayContaining(['nanfeng:acceptanceApplication:earliestDate:3months', 'nanfeng:acceptanceApplication:earliestDate:6months', 'yiyang:finalAcceptance:review@001 §26(1)']));
  });

  it('covers every stage that any scenario of a profile walks through', () => {
    for (const profile of allProfiles) {
      const stages = new Set(profile.catalogueScenarios.flatMap((scenario) => profile.stages(scenario.facts).map((def) => def.id)));
      const guarded = new Set(catalogue.rules.filter((rule) => rule.jurisdiction === profile.jurisdiction).map((rule) => rule.stage));
      expect([...stages].filter((stage) => !guarded.has(stage))).toEqual([]);
    }
  });

  it('reads the articles a test name cites the way the names write them', () => {
    expect([...citedArticles('records a change (001 §20, §22)')]).toEqual(['001 §20', '001 §22']);
    expect([...citedArticles('names every precondition (001 §26(3)(4))')]).toEqual(['001 §26(3)', '001 §26(4)']);
    expect([...citedArticles('refuses on coded grounds (000 §8(2)2)')]).toEqual(['000 §8(2)2']);
    expect([...citedArticles('001 §26(2)(3)2')]).toEqual(['001 §26(2)', '001 §26(3)2']);
    expect([...citedArticles('001 §20，§22；§28 and §29')]).toEqual(['001 §20', '001 §22', '001 §28', '001 §29']);
    expect(citedArticles('1000 §5 and 2001 §3').size).toBe(0);
    expect([...citedArticles('001 §6/§7/§8 and 000 §12')]).toEqual(['001 §6', '001 §7', '001 §8', '000 §12']);
    expect(citedArticles('001 §1').has('001 §14')).toBe(false);
    expect(citedArticles('no article here').size).toBe(0);
  });
});
