import type { NameGroup } from './name-lists';

/**
 * The member countries of the demo: each has a national central bureau (NCB) that owns SLTD records, requests
 * notices and publishes alerts. Cities are written as on the country's own documents (places of birth,
 * theft).
 */
export interface NcbCountry {
  code: string;
  /** English name, for texts. */
  name: string;
  /** The NCB is named after the city that hosts it, as members usually call them ("NCB Wiesbaden"). */
  ncbCity: string;
  cities: readonly string[];
  /** Where its people's names come from; several for multilingual countries. */
  nameGroups: readonly NameGroup[];
  /** Relative share of records and notices it owns. */
  weight: number;
  /**
   * Whether it issues identity cards valid for travel (most of Europe does, the anglophone world does not).
   */
  idCards: boolean;
}

const c = (
  code: string,
  name: string,
  ncbCity: string,
  cities: readonly string[],
  nameGroups: readonly NameGroup[],
  weight: number,
  idCards: boolean,
): NcbCountry => ({ code, name, ncbCity, cities, nameGroups, weight, idCards });

export const NCB_COUNTRIES: readonly NcbCountry[] = [
  c('FRA', 'France', 'Paris', ['Paris', 'Lyon', 'Marseille', 'Nice', 'Toulouse', 'Lille'], ['fr'], 9, true),
  c(
    'USA',
    'United States',
    'Washington',
    ['Washington', 'New York', 'Los Angeles', 'Miami', 'Chicago', 'Houston'],
    ['en'],
    8,
    false,
  ),
  c('UTO', 'Utopia', 'Utopia', ['Utopia City', 'Port Utopia'], ['sv'], 0.2, true),
  c(
    'DEU',
    'Germany',
    'Wiesbaden',
    ['Berlin', 'Hamburg', 'München', 'Frankfurt am Main', 'Köln'],
    ['de'],
    7,
    true,
  ),
  c('ESP', 'Spain', 'Madrid', ['Madrid', 'Barcelona', 'Valencia', 'Sevilla', 'Málaga'], ['es'], 5, true),
  c('ITA', 'Italy', 'Rome', ['Roma', 'Milano', 'Napoli', 'Torino', 'Palermo'], ['it'], 5, true),
  c(
    'GBR',
    'United Kingdom',
    'Manchester',
    ['London', 'Manchester', 'Birmingham', 'Glasgow', 'Liverpool'],
    ['en'],
    6,
    false,
  ),
  c('POL', 'Poland', 'Warsaw', ['Warszawa', 'Kraków', 'Gdańsk', 'Wrocław', 'Łódź'], ['pl'], 3, true),
  c('TUR', 'Türkiye', 'Ankara', ['Ankara', 'İstanbul', 'İzmir', 'Antalya', 'Bursa'], ['tr'], 3, true),
  c(
    'BRA',
    'Brazil',
    'Brasília',
    ['Brasília', 'São Paulo', 'Rio de Janeiro', 'Salvador', 'Recife'],
    ['pt'],
    3,
    true,
  ),
  c(
    'NLD',
    'Netherlands',
    'The Hague',
    ['Den Haag', 'Amsterdam', 'Rotterdam', 'Utrecht', 'Eindhoven'],
    ['nl'],
    3,
    true,
  ),
  c('SWE', 'Sweden', 'Stockholm', ['Stockholm', 'Göteborg', 'Malmö', 'Uppsala'], ['sv'], 2, true),
  c(
    'ROU',
    'Romania',
    'Bucharest',
    ['București', 'Cluj-Napoca', 'Iași', 'Timișoara', 'Constanța'],
    ['ro'],
    2,
    true,
  ),
  c('MAR', 'Morocco', 'Rabat', ['Rabat', 'Casablanca', 'Marrakech', 'Fès', 'Tanger'], ['ar'], 2, true),
  c('EGY', 'Egypt', 'Cairo', ['Cairo', 'Alexandria', 'Giza', 'Luxor', 'Port Said'], ['ar'], 2, true),
  c('NGA', 'Nigeria', 'Abuja', ['Abuja', 'Lagos', 'Kano', 'Ibadan', 'Port Harcourt'], ['ng'], 2, false),
  c('KEN', 'Kenya', 'Nairobi', ['Nairobi', 'Mombasa', 'Kisumu', 'Nakuru', 'Eldoret'], ['sw'], 1, false),
  c(
    'ZAF',
    'South Africa',
    'Pretoria',
    ['Pretoria', 'Johannesburg', 'Cape Town', 'Durban', 'Gqeberha'],
    ['zu', 'af', 'en'],
    2,
    false,
  ),
  c(
    'IND',
    'India',
    'New Delhi',
    ['New Delhi', 'Mumbai', 'Bengaluru', 'Chennai', 'Kolkata', 'Hyderabad'],
    ['hi'],
    3,
    false,
  ),
  c(
    'PAK',
    'Pakistan',
    'Islamabad',
    ['Islamabad', 'Karachi', 'Lahore', 'Peshawar', 'Quetta'],
    ['ur'],
    2,
    false,
  ),
  c(
    'CHN',
    'China',
    'Beijing',
    ['Beijing', 'Shanghai', 'Guangzhou', 'Shenzhen', 'Chengdu', 'Wuhan'],
    ['zh'],
    3,
    false,
  ),
  c('JPN', 'Japan', 'Tokyo', ['Tokyo', 'Osaka', 'Yokohama', 'Nagoya', 'Fukuoka'], ['ja'], 2, false),
  c(
    'RUS',
    'Russian Federation',
    'Moscow',
    ['Moskva', 'Sankt-Peterburg', 'Novosibirsk', 'Yekaterinburg', 'Kazan'],
    ['ru'],
    2,
    false,
  ),
  c('UKR', 'Ukraine', 'Kyiv', ['Kyiv', 'Kharkiv', 'Odesa', 'Lviv', 'Dnipro'], ['uk'], 2, true),
  c(
    'MEX',
    'Mexico',
    'Mexico City',
    ['Ciudad de México', 'Guadalajara', 'Monterrey', 'Tijuana', 'Cancún'],
    ['es'],
    2,
    false,
  ),
  c(
    'COL',
    'Colombia',
    'Bogotá',
    ['Bogotá', 'Medellín', 'Cali', 'Barranquilla', 'Cartagena'],
    ['es'],
    2,
    true,
  ),
  c('ARG', 'Argentina', 'Buenos Aires', ['Buenos Aires', 'Córdoba', 'Rosario', 'Mendoza'], ['es'], 1, true),
  c(
    'CAN',
    'Canada',
    'Ottawa',
    ['Ottawa', 'Toronto', 'Montréal', 'Vancouver', 'Calgary'],
    ['en', 'fr'],
    2,
    false,
  ),
  c(
    'AUS',
    'Australia',
    'Canberra',
    ['Canberra', 'Sydney', 'Melbourne', 'Brisbane', 'Perth'],
    ['en'],
    2,
    false,
  ),
  c('IRN', 'Iran', 'Tehran', ['Tehran', 'Mashhad', 'Isfahan', 'Tabriz', 'Shiraz'], ['fa'], 1, false),
  c('IRQ', 'Iraq', 'Baghdad', ['Baghdad', 'Basra', 'Mosul', 'Erbil', 'Najaf'], ['ar'], 1, false),
  c('SYR', 'Syria', 'Damascus', ['Damascus', 'Aleppo', 'Homs', 'Latakia'], ['ar'], 1, false),
  c(
    'AFG',
    'Afghanistan',
    'Kabul',
    ['Kabul', 'Kandahar', 'Herat', 'Mazar-i-Sharif', 'Jalalabad'],
    ['ps'],
    1,
    false,
  ),
  c('SAU', 'Saudi Arabia', 'Riyadh', ['Riyadh', 'Jeddah', 'Mecca', 'Medina', 'Dammam'], ['ar'], 1, true),
  c('ARE', 'United Arab Emirates', 'Abu Dhabi', ['Abu Dhabi', 'Dubai', 'Sharjah', 'Al Ain'], ['ar'], 1, true),
  c(
    'VNM',
    'Viet Nam',
    'Hanoi',
    ['Hà Nội', 'Thành phố Hồ Chí Minh', 'Đà Nẵng', 'Hải Phòng'],
    ['vi'],
    1,
    false,
  ),
  c('IDN', 'Indonesia', 'Jakarta', ['Jakarta', 'Surabaya', 'Bandung', 'Medan', 'Denpasar'], ['id'], 1, false),
  c('PHL', 'Philippines', 'Manila', ['Manila', 'Quezon City', 'Cebu City', 'Davao City'], ['tl'], 1, false),
  c('THA', 'Thailand', 'Bangkok', ['Bangkok', 'Chiang Mai', 'Phuket', 'Pattaya'], ['th'], 1, false),
  c('GRC', 'Greece', 'Athens', ['Athína', 'Thessaloníki', 'Pátra', 'Irákleio'], ['el'], 1, true),
  c('PRT', 'Portugal', 'Lisbon', ['Lisboa', 'Porto', 'Faro', 'Coimbra', 'Braga'], ['pt'], 1, true),
  c(
    'BEL',
    'Belgium',
    'Brussels',
    ['Bruxelles', 'Antwerpen', 'Gent', 'Liège', 'Charleroi'],
    ['nl', 'fr'],
    2,
    true,
  ),
  c(
    'CHE',
    'Switzerland',
    'Bern',
    ['Bern', 'Zürich', 'Genève', 'Basel', 'Lausanne'],
    ['de', 'fr', 'it'],
    2,
    true,
  ),
];

const BY_CODE = new Map(NCB_COUNTRIES.map((country) => [country.code, country]));

export function ncbCountry(code: string): NcbCountry {
  const country = BY_CODE.get(code);
  if (!country) throw new Error(`Not a demo NCB country: ${code}`);
  return country;
}

/** Weights of the countries that own ordinary records: the specimen state only owns its few own. */
export const OWNER_WEIGHTS: Readonly<Record<string, number>> = Object.fromEntries(
  NCB_COUNTRIES.map((country) => [country.code, country.weight]),
);
