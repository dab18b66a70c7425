import { MAX_JSON_DEPTH, unstorableFields, whyUnstorable } from './text.rules';

describe('storable text', () => {
  it.each([
    ['', null],
    ['Hospital appointments online', null],
    ['Evaluación técnica: ñandú, 日本語', null],
    ['a pair: \ud83d\ude00 (an emoji)', null],
    ['pairs at both ends \ud83d\ude00x\ud83d\ude00', null],
    ['\ufffd and \uffff are characters', null],
    ['x \u0000 y', 'NUL'],
    ['\u0000', 'NUL'],
    ['x \ud800 y', 'LONE_SURROGATE'],
    ['high at the end \ud800', 'LONE_SURROGATE'],
    ['\udc00 low at the start', 'LONE_SURROGATE'],
    ['reversed pair \ude00\ud83d', 'LONE_SURROGATE'],
    ['two highs \ud83d\ud83d\ude00', 'LONE_SURROGATE'],
    ['a pair then a lone low \ud83d\ude00\ude00', 'LONE_SURROGATE'],
    ['both \ud800 and \u0000', 'NUL'],
  ])('%j is %s', (text, reason) => {
    expect(whyUnstorable(text)).toBe(reason);
  });

  it('names every unstorable string and key of a JSON value by its dotted path, with the NUL messages as before', () => {
    const body = {
      title: 'ok',
      costs: [{ description: 'fine' }, { description: 'x\u0000' }, { description: 'x \ud800 y' }],
      verdicts: [{ comment: '\udc00' }],
      questions: ['fine', 'bad \ud800'],
      ['key \u0000']: 1,
      risk: { ['flag \ud800']: true },
    };
    expect(unstorableFields(body, 'body')).toEqual([
      { field: 'costs[1].description', message: 'costs[1].description must not contain NUL characters' },
      { field: 'costs[2].description', message: 'costs[2].description must not contain lone UTF-16 surrogates' },
      { field: 'verdicts[0].comment', message: 'verdicts[0].comment must not contain lone UTF-16 surrogates' },
      { field: 'questions[1]', message: 'questions[1] must not contain lone UTF-16 surrogates' },
      { field: 'body', message: 'field names must not contain NUL characters' },
      { field: 'risk', message: 'field names must not contain lone UTF-16 surrogates' },
    ]);
  });

  it('names the value itself by its root', () => {
    expect(unstorableFields('x \ud800', 'q')).toEqual([{ field: 'q', message: 'q must not contain lone UTF-16 surrogates' }]);
    expect(unstorableFields({ q: ['a', 'b\u0000'] }, 'query')).toEqual([{ field: 'q[1]', message: 'q[1] must not contain NUL characters' }]);
    expect(unstorableFields({ title: 'ok', n: 1, flag: true, none: null }, 'body')).toEqual([]);
  });

  it('refuses nesting deeper than any body of the API has, without overflowing the stack', () => {
    const nest = (levels: number) => JSON.parse(`{"a":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`) as unknown;
    expect(unstorableFields(nest(MAX_JSON_DEPTH), 'body')).toEqual([]);
    const [problem, ...more] = unstorableFields(nest(200_000), 'body');
    expect(more).toEqual([]);
    expect(problem.field).toBe(`a${'[0]'.repeat(MAX_JSON_DEPTH - 1)}`);
    expect(problem.message).toBe(`${problem.field} nests more than ${MAX_JSON_DEPTH} levels deep`);
  });

  it('stops at the limit, so a huge body does not make a huge answer', () => {
    expect(unstorableFields(Array.from({ length: 1000 }, () => '\u0000'), 'body', 20)).toHaveLength(20);
  });
});
