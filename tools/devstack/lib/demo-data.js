// @ts-check
'use strict';
/**
 * Demo proposals for `npm start`, created through the public API as the demo agencies would,
 * once: nothing is created when the demo agencies already have proposals.
 */
const path = require('node:path');
const log = require('./log');
const { ROOT } = require('./stack-config');

/**
 * One request to the API; rejects unless it answers 2xx.
 * @param {string} base @param {string} method @param {string} path @param {string|undefined} token @param {unknown} [body]
 * @returns {Promise<unknown>} the parsed JSON body
 */
async function call(base, method, path, token, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return json;
}

/**
 * @typedef {import('../../../libs/domain').ProposalData} ProposalData
 * @typedef {import('../../../libs/domain').CostLine} CostLine
 * @typedef {import('../../../libs/domain').BenefitLine} BenefitLine
 */

/** @param {number} capex @param {number} opexPerYear @param {number} years @returns {CostLine[]} */
const costs = (capex, opexPerYear, years) => [
  { year: 1, kind: 'CAPEX', category: 'DEVELOPMENT', description: 'Build and launch', amount: capex, quantity: Math.round(capex / 400000), unitPrice: 400000 },
  ...Array.from({ length: years }, (_, i) => ({ year: i + 1, kind: /** @type {const} */ ('OPEX'), category: /** @type {const} */ ('HOSTING'), description: 'Certified cloud hosting', amount: opexPerYear })),
];
/** @param {number} perYear @param {number} years @returns {BenefitLine[]} */
const benefits = (perYear, years) => Array.from({ length: years - 1 }, (_, i) => ({ year: i + 2, description: 'Staff hours and paper saved', amount: perYear }));

/**
 * The demo proposals, built on the proposal fixtures of the tests (libs/domain/src/testing), which
 * the build compiles into dist/ before `npm start` seeds. A field overridden with undefined is left
 * out of the request body.
 * @returns {{ as: string, submit: boolean, body: Partial<ProposalData> }[]}
 */
function demoProposals() {
  const { baseProposal, hospitalProposalData } = /** @type {typeof import('../../../libs/domain/src/testing/proposal.factory')} */ (
    require(path.join(ROOT, 'dist/libs/domain/src/testing/proposal.factory.js'))
  );
  return [
    {
      as: 'ana.torres@minsal.example',
      submit: true,
      body: hospitalProposalData({
        title: 'Agenda de horas médicas en línea',
        summary: 'Patients book, move and cancel public hospital appointments online, with an assisted channel by phone.',
        exchangesData: true,
        annualTransactions: 1200000,
        costs: costs(320000000, 45000000, 5),
        benefits: benefits(160000000, 5),
      }),
    },
    {
      as: 'bruno.diaz@mineduc.example',
      submit: true,
      body: baseProposal({
        title: 'Renovación de licencias de ofimática',
        summary: 'Three-year renewal of office licences for the ministry staff.',
        category: 'LICENSING',
        horizonYears: 3,
        annualTransactions: undefined,
        costs: [1, 2, 3].map((year) => ({ year, kind: 'OPEX', category: 'LICENSES', description: 'Office licences', amount: 12000000, quantity: 40, unitPrice: 300000 })),
        benefits: [],
        selfAssessment: undefined,
      }),
    },
    {
      as: 'ana.torres@minsal.example',
      submit: false,
      body: { title: 'Receta electrónica interoperable', summary: 'Draft: e-prescriptions shared between public and private pharmacies.', exchangesData: true, handlesPersonalData: true },
    },
  ];
}

/** @param {string} base the API's URL, e.g. http://localhost:3000/api/v1 @param {string} password of the demo accounts */
async function seedDemoProposals(base, password) {
  /** @type {Record<string, string>} */
  const tokens = {};
  const login = async (/** @type {string} */ email) =>
    (tokens[email] ??= /** @type {{ accessToken: string }} */ (await call(base, 'POST', '/auth/token', undefined, { email, password })).accessToken);
  const existing = /** @type {{ total: number }} */ (await call(base, 'GET', '/proposals?pageSize=1', await login('ana.torres@minsal.example')));
  if (existing.total > 0) {
    log.ok('demo proposals already there');
    return;
  }
  const demos = demoProposals();
  for (const demo of demos) {
    const token = await login(demo.as);
    const draft = /** @type {{ id: string, applicableStandards: { code: string }[] }} */ (await call(base, 'POST', '/proposals', token, demo.body));
    if (demo.submit) {
      // Answer the self-assessment the data implies, exactly as the draft shows it.
      const selfAssessment = draft.applicableStandards.map((s) => ({ standardCode: s.code, answer: 'MEETS', evidence: `See annex for ${s.code}` }));
      await call(base, 'PATCH', `/proposals/${draft.id}`, token, { selfAssessment });
      await call(base, 'POST', `/proposals/${draft.id}/submit`, token);
    }
  }
  log.ok(`demo proposals created: ${demos.length} (${demos.filter((d) => d.submit).length} submitted)`);
}

module.exports = { seedDemoProposals };
