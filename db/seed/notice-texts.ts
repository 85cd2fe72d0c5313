import { longDate } from './dates';
import { ncbCountry } from './ncb-countries';
import type { Random } from './random';

/** Offences RED notices are requested for (titles and charges). */
export const CHARGES = [
  'Armed robbery',
  'Murder',
  'Attempted murder',
  'Drug trafficking',
  'Trafficking in human beings',
  'Migrant smuggling',
  'Fraud',
  'Money laundering',
  'Kidnapping',
  'Rape',
  'Sexual abuse of a minor',
  'Terrorism',
  'Participation in a criminal organisation',
  'Cybercrime (computer intrusion and extortion)',
  'Counterfeiting of currency',
  'Illicit trafficking in firearms',
  'Aggravated assault',
  'Extortion',
  'Corruption of public officials',
  'Forgery of administrative documents',
  'Organised burglary',
  'Tax fraud',
];

const BLUE_TITLES = [
  'Whereabouts sought: witness in a fraud investigation',
  'Identity verification: suspected use of several identities',
  'Whereabouts sought: suspect in a homicide investigation',
  'Information sought on criminal activities linked to a trafficking network',
  'Whereabouts sought: person of interest in a money laundering case',
  'Identity and location sought: suspected member of a migrant smuggling ring',
];

const GREEN_TITLES = [
  'Repeat offender: burglaries across several countries',
  'Convicted sex offender travelling abroad',
  'Known courier for a drug trafficking network',
  'Serial fraudster posing as an investment adviser',
  'Pickpocket gang leader active at international airports',
  'Known forger of travel documents',
];

const ORANGE_TITLES = [
  'Escaped prisoner, considered armed and dangerous',
  'Parcel bomb modus operandi targeting public officials',
  'Released offender posing a threat to public safety',
  'Counterfeit medicines posing an imminent health threat',
  'Improvised explosive devices concealed in electronics',
];

const PURPLE_TITLES = [
  'Cocaine concealed in fruit containers',
  'Skimming devices fitted to fuel station payment terminals',
  'Fake police officer scam targeting the elderly',
  'Drugs concealed in vehicle airbags',
  'Business email compromise using look-alike domains',
  'Stolen vehicles re-registered with cloned identification numbers',
  'Cultural artefacts smuggled as replicas',
];

const SILVER_TITLES = [
  'Assets linked to money laundering: real estate and bank accounts',
  'Proceeds of corruption held abroad',
  'Luxury vehicles and yachts bought with fraud proceeds',
  'Cryptocurrency wallets linked to ransomware proceeds',
  'Shell companies holding proceeds of drug trafficking',
];

const UN_SPECIAL_TITLES = [
  'UN Security Council sanctions: ISIL (Da’esh) and Al-Qaida (resolution 1267)',
  'UN Security Council sanctions: Democratic People’s Republic of Korea (resolution 1718)',
  'UN Security Council sanctions: Libya (resolution 1970)',
  'UN Security Council sanctions: Taliban (resolution 1988)',
  'UN Security Council sanctions: Al-Shabaab (resolution 751)',
];

export const TITLES = {
  BLUE: BLUE_TITLES,
  GREEN: GREEN_TITLES,
  ORANGE: ORANGE_TITLES,
  PURPLE: PURPLE_TITLES,
  SILVER: SILVER_TITLES,
  UN_SPECIAL: UN_SPECIAL_TITLES,
} as const;

export function missingPersonTitle(random: Random, country: string, since: Date): string {
  const city = random.pick(ncbCountry(country).cities);
  if (random.chance(0.1)) return `Found in ${city} on ${longDate(since)}, unable to give own identity`;
  return `Missing since ${longDate(since)} in ${city}`;
}

export function unidentifiedBodyTitle(
  random: Random,
  country: string,
  sex: 'F' | 'M',
  age: number,
  found: Date,
): string {
  const city = random.pick(ncbCountry(country).cities);
  const person = sex === 'F' ? 'a woman' : 'a man';
  const about = Math.round(age / 5) * 5;
  return `Unidentified body of ${person} aged about ${about}, found in ${city} on ${longDate(found)}`;
}

const MARKS = [
  'Tattoo of a dragon on the left forearm',
  'Scar above the right eyebrow',
  'Missing upper front tooth',
  'Birthmark on the neck',
  'Tattoo of a rose on the right hand',
  'Scar across the left cheek',
  'Pierced left ear',
  'Limps with the right leg',
  'Tattooed initials on the fingers of the left hand',
  'Burn scar on the back of the right hand',
  'Wears glasses',
  'Gold crown on a lower tooth',
  'Mole under the left eye',
  'Tattoo of a spider web on the right elbow',
];

/** Some subjects have one or two marks, most none. */
export function distinguishingMarks(random: Random): string | null {
  if (!random.chance(0.3)) return null;
  return random.sample(MARKS, random.chance(0.3) ? 2 : 1).join('; ');
}

export const REFUSAL_REASONS = [
  'Predominantly political character (Article 3 of the Constitution)',
  'Insufficient judicial data: no valid arrest warrant provided',
  'Minimum penalty threshold not met',
  'Offence of a private nature',
  'Insufficient identifiers for the subject',
];

export const CANCELLATION_REASONS: Readonly<Record<string, readonly string[]>> = {
  YELLOW: ['Person found safe', 'Person returned home', 'Person identified'],
  BLACK: ['Body identified'],
  RED: ['Subject arrested and extradited', 'Arrest warrant withdrawn', 'Subject surrendered'],
  DEFAULT: ['Purpose achieved', 'Request withdrawn by the requesting country', 'Information outdated'],
};

// The judicial authorities that issue arrest warrants, as the requesting country names them.
const COURTS: Readonly<Record<string, readonly string[]>> = {
  FRA: [
    'Tribunal judiciaire de Paris',
    'Tribunal judiciaire de Lyon',
    'Tribunal judiciaire de Marseille',
    'Juge d’instruction, Tribunal judiciaire de Lille',
  ],
  USA: [
    'U.S. District Court for the District of Columbia',
    'U.S. District Court for the Southern District of New York',
    'U.S. District Court for the Southern District of Florida',
  ],
  DEU: ['Amtsgericht München', 'Amtsgericht Frankfurt am Main', 'Landgericht Berlin'],
  ESP: [
    'Juzgado Central de Instrucción n.º 3, Audiencia Nacional',
    'Juzgado de Instrucción n.º 12 de Barcelona',
  ],
  ITA: ['Tribunale di Roma', 'Tribunale di Milano, Ufficio GIP', 'Tribunale di Napoli'],
  GBR: ['Westminster Magistrates’ Court', 'Manchester Crown Court'],
  NLD: ['Rechtbank Amsterdam', 'Rechtbank Rotterdam'],
  BEL: ['Tribunal de première instance francophone de Bruxelles', 'Rechtbank van eerste aanleg Antwerpen'],
  CHE: ['Staatsanwaltschaft des Kantons Zürich', 'Ministère public de la République et canton de Genève'],
  POL: ['Sąd Okręgowy w Warszawie', 'Sąd Rejonowy dla Krakowa-Śródmieścia'],
  BRA: ['Justiça Federal, Seção Judiciária de São Paulo', 'Tribunal de Justiça do Rio de Janeiro'],
  PRT: ['Tribunal Judicial da Comarca de Lisboa'],
  TUR: ['Ankara Cumhuriyet Başsavcılığı', 'İstanbul Ağır Ceza Mahkemesi'],
  ROU: ['Tribunalul București'],
  SWE: ['Stockholms tingsrätt'],
  MEX: ['Juzgado de Distrito en Materia Penal, Ciudad de México'],
  COL: ['Fiscalía General de la Nación, Bogotá'],
  ARG: ['Juzgado Nacional en lo Criminal y Correccional Federal n.º 5'],
};

export function issuingAuthority(random: Random, country: string): string {
  const courts = COURTS[country];
  if (courts) return random.pick(courts);
  const city = ncbCountry(country).ncbCity;
  return random.pick([`Criminal Court of ${city}`, `Public Prosecutor’s Office, ${city}`]);
}

/**
 * Warrant numbers as the issuing courts write them (a US federal case number, a French parquet number...).
 */
export function warrantNumber(random: Random, country: string, issued: Date): string {
  const year = issued.getUTCFullYear();
  const yy = String(year % 100).padStart(2, '0');
  switch (country) {
    case 'USA':
      return `${random.int(1, 4)}:${yy}-cr-${random.digits(5)}`;
    case 'FRA':
      return `Parquet ${yy}${random.digits(3)}${random.digits(5)}`;
    case 'DEU':
      return `${random.int(1, 9)} Gs ${random.int(100, 9999)}/${yy}`;
    default:
      return `${country}-${year}-${random.digits(6)}`;
  }
}
