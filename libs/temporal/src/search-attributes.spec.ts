import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEARCH_ATTRIBUTE_REGISTRATIONS, SEARCH_ATTRIBUTES } from './evaluation.contract';

describe('search attributes', () => {
  it('registers every key the workflows set, with its type', () => {
    const registered = Object.keys(SEARCH_ATTRIBUTE_REGISTRATIONS).sort();
    expect(Object.values(SEARCH_ATTRIBUTES).map((key) => key.name).sort()).toEqual(registered);
  });

  it('registers the same attributes in the compose deployment as in the dev server', () => {
    const script = readFileSync(join(__dirname, '..', '..', '..', 'docker', 'temporal', 'register-search-attributes.sh'), 'utf8');
    const listed = /ATTRIBUTES="\$\{SEARCH_ATTRIBUTES:-([^}]*)\}"/.exec(script)?.[1].trim().split(/\s+/).sort();
    expect(listed).toEqual(Object.entries(SEARCH_ATTRIBUTE_REGISTRATIONS).map(([name, type]) => `${name}=${type}`).sort());
  });
});
