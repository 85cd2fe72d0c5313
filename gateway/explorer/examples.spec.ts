import path from 'node:path';
import { parseContractExample, readContractExamples } from './examples';

describe('contract examples', () => {
  const examples = readContractExamples(path.join(__dirname, '..', '..', 'test', 'contract'));

  test('every contract file becomes an example, named after its operations', () => {
    expect(examples.map((e) => e.name)).toEqual(
      expect.arrayContaining(['BorderCheck', 'PendingHits / ConfirmHit', 'ReportDocument', 'Me']),
    );
    for (const example of examples) expect(example.query).not.toMatch(/#\s*variables:/);
  });

  test('BorderCheck carries the MRZ of the ICAO specimen passport as its variables', () => {
    const borderCheck = examples.find((e) => e.name === 'BorderCheck');
    const variables = JSON.parse(borderCheck?.variables ?? '{}') as { documents: { mrz?: string }[] };
    expect(variables.documents[0].mrz).toBe(
      'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10',
    );
    expect(variables.documents).toHaveLength(2);
    // The file's leading comments (caller, expectations) stay with the query.
    expect(borderCheck?.query).toMatch(/^# A border officer/);
  });

  test('variables on the marker line and on the lines after it', () => {
    const inline = parseContractExample(
      'a.graphql',
      'query A($x: Int) { a(x: $x) }\n# variables: { "x": 1 }\n',
    );
    expect(JSON.parse(inline.variables)).toEqual({ x: 1 });
    const spread = parseContractExample(
      'b.graphql',
      'query B($x: Int) { b(x: $x) }\n# variables:\n# { "x":\n#   2 }\n',
    );
    expect(JSON.parse(spread.variables)).toEqual({ x: 2 });
    expect(spread.query).toBe('query B($x: Int) { b(x: $x) }\n');
    expect(parseContractExample('c.graphql', '{ me { id } }').variables).toBe('');
  });

  test('a broken variables comment names the file', () => {
    expect(() => parseContractExample('bad.graphql', 'query A { a }\n# variables: { x: 1 }\n')).toThrow(
      /bad\.graphql: the variables comment is not valid JSON/,
    );
    expect(() => parseContractExample('late.graphql', '# variables: {}\nquery A { a }\n')).toThrow(
      /late\.graphql: the variables comment must be the last thing/,
    );
  });
});
