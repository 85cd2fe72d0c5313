/**
 * A labelled evaluation set for name screening (`screenPerson`), generated from a seed so that every run and
 * every machine gets the same set: notice subjects (synthetic people, with aliases), and queries labelled
 * either with the notice they must find or as "no match".
 *
 * Positive queries are what a border officer or an NCB types or reads from a passport for a person a notice
 * is about: the name as recorded, misspelt, in swapped order, without or with an extra middle name, without
 * its diacritics (as machine readable zones write names), in another transliteration, or an alias of the
 * subject; sometimes with a mistyped date of birth, sometimes with none. Negative queries are other people
 * who look alike: namesakes born another day, relatives with the same surname, people whose surname or whole
 * name is close.
 *
 *   node -r @swc-node/register bench/screening/generate-eval-set.ts [--seed N] [--out file.json]
 * prints the make-up of the set, or writes it as JSON. scripts/eval-screening.ts runs it against PostgreSQL.
 */
import fs from 'node:fs';
import type { PersonScreening } from '../../subgraphs/notices/screening.repository';

/** One name and the spellings it takes across transliterations; diacritic forms count as spellings too. */
type NameGroup = readonly string[];

interface Region {
  name: string;
  countries: readonly string[];
  surnames: readonly NameGroup[];
  male: readonly NameGroup[];
  female: readonly NameGroup[];
  /** Share of people with two surnames (Spanish and Portuguese naming). */
  doubleSurnames?: number;
  /** Surnames take a feminine form (Ivanov → Ivanova). */
  feminineSurnames?: boolean;
}

/** Name lists are written `Spelling|Other spelling|...`, one group per entry, separated by commas. */
const groups = (list: string): NameGroup[] =>
  list
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => entry.split('|'));

const REGIONS: readonly Region[] = [
  {
    name: 'arabic',
    countries: ['EGY', 'MAR', 'DZA', 'TUN', 'JOR', 'SYR', 'IRQ', 'SAU', 'LBN', 'YEM'],
    surnames: groups(`
      Hassan|Hasan, Hussein|Husain|Hussain|Houssein, Mohammed|Muhammad|Mohamed|Mohammad,
      Abdelrahman|Abdul Rahman|Abd al-Rahman|Abdulrahman, Al-Masri|Almasri|El Masri, Haddad,
      Khalil|Khaleel|Halil, Mansour|Mansur, Nasser|Nasir|Naser, Saleh|Salih, Ibrahim|Ebrahim,
      Youssef|Yusuf|Yousef|Yousuf, Abdullah|Abdallah, El-Sayed|Elsayed|Al-Sayed, Farouk|Faruq|Farouq,
      Qureshi|Kureshi|Qurashi, Hamdan, Khoury|Khouri|Khuri, Suleiman|Sulaiman|Sleiman, Othman|Osman|Uthman,
      Amin|Ameen, Jaber|Jabir, Karim|Kareem, Bakr|Bakir, Darwish|Darwich|Derwisch, Zaki,
      Shaheen|Chahine|Shahin, Ashour|Ashur|Achour, Barakat, Bitar, Daher|Dahir, Fakhoury|Fakhouri,
      Ghanem|Ghanim, Habib, Hijazi|Hejazi, Issa|Eissa, Kassem|Qasim|Kasem, Maalouf|Maaloof, Matar,
      Mourad|Murad, Najjar|Najar, Rizk|Rizq, Sabbagh|Sabagh, Sarkis, Tamimi|Al-Tamimi, Yassin|Yasin|Yaseen,
      Zeidan|Zidane, Haidar|Haydar, Awad, Bashir|Basheer, Fadel|Fadil, Idris|Idriss, Masoud|Massoud|Masud,
      Shalaby|Shalabi`),
    male: groups(`
      Mohammed|Muhammad|Mohamed|Mohammad, Ahmed|Ahmad, Omar|Umar, Khalid|Khaled, Youssef|Yusuf|Yousef,
      Ibrahim|Ebrahim, Mustafa|Moustafa|Mostafa, Hassan|Hasan, Ali, Mahmoud|Mahmud, Tarek|Tariq|Tarik,
      Walid|Waleed, Osama|Usama|Oussama, Abdullah|Abdallah, Karim|Kareem, Hamza|Hamzah, Jamal|Djamal|Gamal,
      Rashid|Rachid|Rasheed, Samir|Sameer, Nabil|Nabeel, Bilal, Fadi, Hani|Hany, Imad|Emad, Ismail|Ismael,
      Kamal, Majid|Majed, Rami|Ramy, Sami|Samy, Yahya, Ziad|Ziyad, Anas, Bashar, Faisal|Faysal, Marwan,
      Nizar, Wael, Younes|Yunus`),
    female: groups(`
      Fatima|Fatimah|Fatma, Aisha|Aicha|Ayesha, Mariam|Maryam|Meryem, Leila|Layla|Laila, Nour|Noor|Nur,
      Zainab|Zeinab|Zaynab, Amina|Aminah, Salma, Yasmin|Yasmine|Jasmin, Khadija|Khadidja|Hadija,
      Huda|Houda, Rania, Samira|Sameera, Rana, Dalia|Dalya, Hana|Hanaa, Iman|Eman, Lina, Mona|Muna,
      Nadia|Nadiya, Reem|Rim, Sara|Sarah, Suha, Yara, Ghada, Hala, Jamila|Djamila, Lubna, Nisreen|Nesrine,
      Rasha, Safaa|Safa, Wafa`),
  },
  {
    name: 'slavic',
    countries: ['RUS', 'UKR', 'BLR', 'KAZ'],
    feminineSurnames: true,
    surnames: groups(`
      Ivanov, Petrov, Smirnov, Kuznetsov|Kouznetsov, Popov, Sokolov, Lebedev, Kozlov, Novikov, Morozov,
      Volkov|Wolkow, Solovyov|Soloviev|Solovyev, Vasiliev|Vasilyev|Wassiljew, Zaitsev|Zaytsev, Pavlov,
      Semyonov|Semenov, Vinogradov, Bogdanov, Vorobyov|Vorobiev, Fyodorov|Fedorov,
      Mikhailov|Mikhaylov|Mihailov, Belyaev|Beliaev, Tarasov, Orlov, Kiselyov|Kiselev, Makarov,
      Andreyev|Andreev, Kovalenko, Shevchenko|Chevtchenko|Schewtschenko, Bondarenko, Tkachenko|Tkatchenko,
      Kravchenko|Kravtchenko, Oliynyk|Oleinik|Oleynik, Zhukov|Joukov, Tchaikovsky|Chaikovsky|Chaikovskiy,
      Yegorov|Egorov, Sidorov, Gusev, Titov, Kuzmin, Kudryavtsev|Koudriavtsev, Baranov, Kulikov,
      Alekseev|Alexeyev, Stepanov, Yakovlev|Iakovlev, Sorokin, Sergeyev|Sergeev, Romanov, Zakharov|Zaharov,
      Borisov, Korolyov|Korolev, Gerasimov, Ponomaryov|Ponomarev, Grigoryev|Grigoriev, Lazarev, Medvedev,
      Yershov|Ershov, Nikitin, Sobolev, Ryabov|Riabov, Polyakov|Poliakov, Tsvetkov|Zwetkow, Danilov,
      Zhuravlyov|Zhuravlev, Frolov, Melnyk|Melnik, Shevchuk, Boyko|Boiko, Kovalchuk|Kowaltschuk, Lysenko,
      Marchenko, Rudenko, Savchenko|Savtchenko, Petrenko`),
    male: groups(`
      Aleksandr|Alexander|Oleksandr|Aleksander, Sergei|Sergey|Serhiy, Dmitri|Dmitry|Dmytro,
      Andrei|Andrey|Andriy, Alexei|Aleksei|Alexey|Oleksiy, Mikhail|Mykhailo|Michail, Ivan,
      Nikolai|Nikolay|Mykola, Vladimir|Volodymyr|Wladimir, Yevgeny|Evgeny|Evgeni|Yevhen,
      Yuri|Yury|Yuriy|Iouri, Pavel|Pavlo, Fyodor|Fedor, Viktor|Victor, Oleg|Oleh, Maksim|Maxim,
      Artyom|Artem, Igor|Ihor, Konstantin|Kostiantyn, Vyacheslav|Viacheslav, Roman, Anton, Denis,
      Ilya|Ilia|Illia, Kirill|Kyrylo, Leonid, Boris, Gennady|Gennadiy|Hennadiy, Stanislav, Vadim|Vadym,
      Vitaly|Vitaliy, Vasily|Vasiliy|Vasyl, Grigory|Grigoriy|Hryhoriy, Taras, Bogdan|Bohdan,
      Yaroslav|Iaroslav, Timur, Ruslan, Nikita, Stepan`),
    female: groups(`
      Elena|Yelena|Olena, Natalia|Natalya|Nataliya, Olga|Olha, Tatiana|Tatyana|Tetiana, Irina|Iryna,
      Svetlana, Yekaterina|Ekaterina|Kateryna, Anastasia|Anastasiya, Yulia|Julia|Yuliya, Mariya|Maria,
      Anna, Lyudmila|Ludmila|Liudmyla, Oksana, Valentina, Galina|Halyna, Daria|Darya, Kseniya|Ksenia,
      Marina, Polina, Sofiya|Sofia, Viktoriya|Viktoria, Alina, Alyona|Alena, Larisa|Larysa, Nadezhda, Vera,
      Zoya|Zoia, Inna, Lyubov|Liubov, Raisa, Veronika, Yana|Iana, Kristina, Margarita, Nina`),
  },
  {
    name: 'german',
    countries: ['DEU', 'AUT', 'CHE'],
    surnames: groups(`
      Müller|Mueller, Schmidt, Schneider, Fischer, Weber, Meyer, Meier, Wagner, Becker, Schulz, Hoffmann,
      Schäfer|Schaefer, Koch, Bauer, Richter, Klein, Wolf, Schröder|Schroeder, Neumann, Schwarz,
      Zimmermann, Braun, Krüger|Krueger, Hartmann, Lange, Weiß|Weiss, Jäger|Jaeger, Böhm|Boehm,
      Köhler|Koehler, Groß|Gross, Schmitz, Krause, Lehmann, Herrmann, König|Koenig, Walter, Mayer, Huber,
      Kaiser, Fuchs, Peters, Scholz, Möller|Moeller, Hahn, Vogel, Friedrich, Keller, Frank, Berger,
      Winkler, Roth, Beck, Lorenz, Baumann, Franke, Albrecht, Schuster, Ludwig, Winter, Kraus, Schumacher,
      Krämer|Kraemer, Vogt, Stein, Jung, Otto, Sommer`),
    male: groups(`
      Hans, Jürgen|Juergen, Klaus|Claus, Stefan|Stephan, Michael, Thomas, Andreas, Wolfgang, Peter, Uwe,
      Günter|Guenter|Günther, Karl|Carl, Matthias|Mathias, Jörg|Joerg, Sebastian, Lukas|Lucas, Tobias,
      Florian, Dieter, Manfred, Horst, Helmut|Helmuth, Werner, Gerhard, Heinz, Rainer|Reiner, Bernd, Frank,
      Markus|Marcus, Dirk, Ralf|Ralph, Holger, Torsten|Thorsten, Jan, Felix, Moritz, Maximilian,
      Niklas|Niclas, Jonas, Fabian, Dominik, Kai|Kay`),
    female: groups(`
      Ursula, Monika|Monica, Petra, Sabine, Andrea, Katharina|Katarina, Anja, Brigitte, Renate, Birgit,
      Susanne, Claudia|Klaudia, Lena, Sophie|Sofie, Jana, Gabriele, Heike, Kerstin, Martina, Nicole,
      Stefanie|Stephanie, Christine, Angelika, Gisela, Helga, Elke, Marion, Silke, Tanja|Tania, Melanie,
      Nadine, Hannah|Hanna, Mia, Emma, Johanna`),
  },
  {
    name: 'nordic',
    countries: ['SWE', 'NOR', 'DNK', 'FIN'],
    surnames: groups(`
      Eriksson|Erikson, Andersson, Johansson, Karlsson|Carlsson, Nilsson, Larsson, Olsson, Persson,
      Svensson, Gustafsson|Gustavsson, Jørgensen|Joergensen|Jorgensen, Hansen, Nielsen, Pedersen,
      Kristiansen|Christiansen, Søndergaard|Sondergaard, Lindqvist|Lindquist, Bergström|Bergstrom,
      Sjöberg|Sjoberg, Åberg|Aberg, Virtanen, Mäkinen|Makinen, Korhonen, Jakobsen|Jacobsen, Rasmussen,
      Jensen, Sørensen|Sorensen, Johansen, Berg, Haugen, Hagen, Lund, Halvorsen, Jonsson, Magnusson,
      Lindberg, Lindström|Lindstrom, Axelsson, Bengtsson, Lundberg, Holm, Hämäläinen|Hamalainen, Laine,
      Heikkinen, Koskinen, Järvinen|Jarvinen, Lehtonen, Nieminen, Mattsson, Berglund, Forsberg`),
    male: groups(`
      Lars, Anders, Erik|Eric, Johan, Per, Björn|Bjorn, Søren|Soren, Mikael, Nils, Magnus, Henrik, Jens,
      Ole, Kristian|Christian, Fredrik|Frederik, Mikko, Gustav|Gustaf, Axel, Olof|Olov, Mats, Leif, Sven,
      Arne, Rasmus, Mads, Jesper, Kasper|Casper, Morten, Bjarne, Eero, Juha, Jari, Timo, Antti, Matti`),
    female: groups(`
      Anna, Maria, Karin, Eva, Kristina|Christina, Ingrid, Astrid, Sofia|Sophia, Elin, Linnea, Maja|Maya,
      Sigrid, Birgitta, Kirsten|Kirstin, Mette, Aino, Ida, Malin, Camilla|Kamilla, Helena, Ulla, Inger,
      Marianne, Lene, Hanne, Sanna, Tuula, Päivi|Paivi, Emilia, Ebba, Freja|Freya`),
  },
  {
    name: 'iberian',
    countries: ['ESP', 'MEX', 'COL', 'ARG', 'PER', 'BRA', 'PRT'],
    doubleSurnames: 0.5,
    surnames: groups(`
      García|Garcia, Rodríguez|Rodriguez, Martínez|Martinez, López|Lopez, González|Gonzalez, Pérez|Perez,
      Sánchez|Sanchez, Ramírez|Ramirez, Hernández|Hernandez, Jiménez|Jimenez, Núñez|Nunez, Muñoz|Munoz,
      Álvarez|Alvarez, Gutiérrez|Gutierrez, Castillo, Vázquez|Vazquez|Vasquez, Silva, Santos, Oliveira,
      Sousa|Souza, Gonçalves|Goncalves, Fernández|Fernandez, Díaz|Diaz, Romero, Torres, Ruiz, Moreno,
      Herrera, Gómez|Gomez, Navarro, Domínguez|Dominguez, Ramos, Serrano, Blanco, Molina, Morales,
      Suárez|Suarez, Ortega, Delgado, Castro, Ortiz, Rubio, Marín|Marin, Iglesias, Medina, Garrido,
      Cortés|Cortes, Santana, Guerrero, Prieto, Méndez|Mendez, Cruz, Flores, Vargas, Rojas, Reyes, Mendoza,
      Aguilar, Pereira, Costa, Carvalho, Ferreira, Almeida, Ribeiro, Araújo|Araujo, Barbosa`),
    male: groups(`
      José|Jose, Juan, Luis, Carlos, Jesús|Jesus, Javier|Xavier, Miguel, Alejandro, Francisco, Antonio,
      João|Joao, Rafael, Andrés|Andres, Sebastián|Sebastian, Diego, Pedro, Manuel, David, Jorge, Alberto,
      Fernando, Pablo, Sergio, Ángel|Angel, Raúl|Raul, Enrique, Ricardo, Eduardo, Adrián|Adrian,
      Óscar|Oscar, Ramón|Ramon, Gonzalo, Héctor|Hector, Mateo, Santiago, Tomás|Tomas, Vicente, Gustavo,
      Rodrigo, Marcos, Thiago|Tiago`),
    female: groups(`
      María|Maria, Carmen, Ana, Isabel, Lucía|Lucia, Sofía|Sofia, Valentina, Camila, Gabriela, Mariana,
      Paula, Daniela, Inês|Ines, Beatriz, Patrícia|Patricia, Laura, Marta, Cristina, Pilar, Dolores, Rosa,
      Elena, Teresa, Raquel, Silvia, Alicia, Natalia, Irene, Claudia, Adriana, Fernanda, Juliana,
      Rocío|Rocio, Ximena|Jimena, Guadalupe`),
  },
  {
    name: 'french',
    countries: ['FRA', 'BEL', 'CHE', 'CAN', 'SEN', 'CIV', 'MLI'],
    surnames: groups(`
      Lefèvre|Lefevre|Lefebvre, Dubois, Moreau, Laurent, Girard, Bonnet, Dupont, Lambert, Fontaine,
      Rousseau, Mercier, Blanc, Guérin|Guerin, Boyer, Garnier, Chevalier, François|Francois, Legrand,
      Gauthier|Gautier, Perrin, Clément|Clement, Diallo|Jallow, Traoré|Traore, Ndiaye|N'Diaye, Martin,
      Bernard, Petit, Robert, Richard, Durand, Leroy, Simon, Roux, Bertrand, Morel, Fournier, André|Andre,
      Mathieu, Henry, Masson, Marchand, Duval, Lemaire, Faure, Dufour, Barbier, Renaud|Renault, Roussel,
      Brun, Picard, Gaillard, Aubert, Lemoine, Caron, Vidal, Leclerc|Leclercq, Sarr, Diop, Fall, Camara,
      Koné|Kone, Ouattara|Watara, Coulibaly|Kulibali, Touré|Toure, Cissé|Cisse`),
    male: groups(`
      Jean, Pierre, François|Francois, Jean-Pierre, Michel, Philippe, Nicolas, Sébastien|Sebastien, Julien,
      Frédéric|Frederic, Stéphane|Stephane, Olivier, Thierry, Benoît|Benoit, Jérôme|Jerome, Mamadou,
      Moussa|Musa, Alain, Christophe, Didier, Emmanuel, Guillaume, Hugo, Louis, Luc, Mathieu|Matthieu,
      Patrick, Pascal, Rémi|Remi|Rémy, Vincent, Yves, Antoine, Arnaud, Baptiste, Cédric|Cedric, Ibrahima,
      Ousmane|Usman, Abdoulaye, Cheikh|Sheikh, Seydou|Seidou`),
    female: groups(`
      Marie, Nathalie|Natalie, Isabelle, Sylvie, Catherine, Françoise|Francoise, Hélène|Helene,
      Céline|Celine, Chloé|Chloe, Camille, Léa|Lea, Émilie|Emilie, Aurélie|Aurelie, Aminata,
      Fatoumata|Fatoumatta, Anne, Valérie|Valerie, Christine, Véronique|Veronique, Martine, Sophie, Julie,
      Laure, Claire, Pauline, Mathilde, Margaux|Margot, Juliette, Élodie|Elodie, Agathe, Awa, Mariama,
      Khadidiatou, Ndeye|N'Deye, Adja`),
  },
  {
    name: 'turkic',
    countries: ['TUR', 'AZE', 'CYP'],
    surnames: groups(`
      Yılmaz|Yilmaz, Kaya, Demir, Şahin|Sahin, Çelik|Celik, Yıldız|Yildiz, Yıldırım|Yildirim,
      Öztürk|Ozturk|Oeztuerk, Aydın|Aydin, Özdemir|Ozdemir, Arslan, Doğan|Dogan, Kılıç|Kilic, Aslan,
      Çetin|Cetin, Kara, Koç|Koc, Kurt, Özkan|Ozkan, Şimşek|Simsek, Aliyev|Aliev, Mammadov|Mamedov, Polat,
      Erdoğan|Erdogan, Güneş|Gunes, Akın|Akin, Bulut, Keskin, Ünal|Unal, Özer|Ozer, Aktaş|Aktas, Kaplan,
      Yalçın|Yalcin, Güler|Guler, Tekin, Bozkurt, Avcı|Avci, Çakır|Cakir, Yavuz, Karaca, Aksoy, Ateş|Ates,
      Yüksel|Yuksel, Korkmaz, Güven|Guven, Erdem, Duman, Karakaya, Huseynov|Guseinov, Hasanov|Gasanov,
      Ismayilov|Ismailov, Guliyev|Kuliev, Rzayev|Rzaev`),
    male: groups(`
      Mehmet|Mehmed, Mustafa, Ahmet|Ahmed, Ali, Hüseyin|Huseyin, Hasan, İbrahim|Ibrahim, İsmail|Ismail,
      Osman, Yusuf, Murat, Ömer|Omer, Ramazan, Halil, Süleyman|Suleyman, Emre, Burak, Kemal, Hakan, Serkan,
      Volkan, Onur, Cem, Selim, Tolga, Kerem, Barış|Baris, Erkan, Fatih, Recep, Orhan, Bülent|Bulent,
      Yunus, Serdar, Gökhan|Gokhan, Elçin|Elchin, Tural, Orxan|Orkhan, Vüqar|Vugar`),
    female: groups(`
      Fatma, Ayşe|Ayse, Emine, Hatice|Hatidje, Zeynep|Zeinep, Elif, Meryem, Şerife|Serife, Zehra, Hanife,
      Merve, Özlem|Ozlem, Büşra|Busra, Esra, Gül|Gul, Sevgi, Derya, Ebru, Gamze, Tuğba|Tugba, Seda,
      Yasemin, Aylin, Dilek, Leyla|Leila, Sibel, Hülya|Hulya, Aysel, Sevinc|Sevinj`),
  },
  {
    name: 'east-asian',
    countries: ['CHN', 'TWN', 'HKG', 'SGP', 'VNM', 'KOR'],
    surnames: groups(`
      Wang, Li|Lee, Zhang|Chang, Liu, Chen|Chan, Yang, Huang|Hwang, Zhao|Chao, Wu, Zhou|Chou, Xu|Hsu, Sun,
      Zhu|Chu, Guo|Kuo, Lin, Nguyễn|Nguyen, Trần|Tran, Phạm|Pham, Hoàng|Hoang, He|Ho, Gao|Kao, Luo|Lo,
      Zheng|Cheng, Liang|Leung, Xie|Hsieh, Song|Sung, Tang|Tong, Han, Feng|Fung, Deng|Teng, Cao|Tsao,
      Peng|Pang, Zeng|Tseng, Xiao|Hsiao, Tian|Tien, Dong|Tung, Yuan|Yuen, Cai|Tsai, Jiang|Chiang, Ye|Yeh,
      Lê|Le, Võ|Vo, Đặng|Dang, Bùi|Bui, Đỗ|Do, Ngô|Ngo, Dương|Duong, Kim, Park|Pak, Choi|Choe,
      Jung|Jeong|Chung`),
    male: groups(`
      Wei, Jun|Chun, Lei, Hao, Jianguo|Chien-kuo, Xiaoming|Hsiao-ming, Zhiwei|Chih-wei, Yong, Jie|Chieh,
      Minh, Tuấn|Tuan, Dũng|Dung, Tao, Bo, Gang, Ming, Qiang|Chiang, Feng, Bin, Peng, Kai, Long, Hai,
      Guang, Jian|Chien, Zhiqiang|Chih-chiang, Wenjun|Wen-chun, Haoran, Zihao|Tzu-hao, Quang, Hùng|Hung,
      Thành|Thanh, Khánh|Khanh, Hiếu|Hieu, Minjun|Min-jun, Jihoon|Ji-hoon, Seojun|Seo-jun`),
    female: groups(`
      Fang, Min, Jing|Ching, Yan, Xiuying|Hsiu-ying, Li Na|Lina, Hui, Mei, Lan, Hương|Huong, Thảo|Thao,
      Xiu, Ying, Ling, Hong, Yu, Juan, Xia|Hsia, Ping, Yun, Lili, Xiaoyan|Hsiao-yen, Yuxin|Yu-hsin,
      Zixuan|Tzu-hsuan, Linh, Trang, Ngọc|Ngoc, Mai, Phương|Phuong, Hoa, Seoyeon|Seo-yeon, Jiwoo|Ji-woo,
      Minji|Min-ji`),
  },
  {
    name: 'anglophone',
    countries: ['GBR', 'USA', 'IRL', 'AUS', 'NGA', 'GHA', 'KEN'],
    surnames: groups(`
      Smith, Johnson, Williams, Brown, Jones, Miller, Davis, Wilson, Taylor, Anderson, Thompson|Thomson,
      White, Harris, Clark|Clarke, Lewis, Walker, Robinson, O'Brien|OBrien|O Brien, McDonald|MacDonald,
      Murphy, Okafor, Mensah, Otieno, Adeyemi, Martin, Jackson, Thomas, Moore, Allen, Young, King, Wright,
      Scott, Green, Baker, Adams, Nelson, Hill, Campbell, Mitchell, Roberts, Carter, Phillips, Evans,
      Turner, Parker, Collins, Edwards, Stewart|Stuart, Morris, Murray, Kelly, Byrne, Ryan,
      O'Sullivan|OSullivan, Walsh, Hughes, Price, Bennett, Wood, Cooper, Ward, Cox, Richardson, Howard,
      Grant, Obi, Nwosu, Okonkwo, Boateng, Owusu, Kamau, Mwangi, Ochieng, Eze, Bello`),
    male: groups(`
      James, John|Jon, Robert, Michael, William, David, Richard, Joseph, Thomas, Christopher|Kristopher,
      Daniel, Matthew, Anthony, Steven|Stephen, Sean|Shaun|Shawn, Chinedu, Kwame, Charles, George, Paul,
      Mark, Andrew, Kenneth, Brian, Kevin, Edward, Ronald, Timothy, Jason, Jeffrey|Geoffrey, Ryan, Jacob,
      Gary, Nicholas, Jonathan, Patrick, Peter, Henry, Samuel, Benjamin, Emeka, Oluwaseun, Kofi, Kwabena`),
    female: groups(`
      Mary, Patricia, Jennifer, Linda, Elizabeth, Barbara, Susan, Jessica, Sarah|Sara, Karen,
      Catherine|Katherine|Kathryn, Rebecca, Siobhan, Ngozi, Ama, Nancy, Lisa, Margaret, Sandra, Ashley,
      Kimberly|Kimberley, Emily, Donna, Michelle, Dorothy, Carol, Amanda, Melissa, Deborah|Debra,
      Stephanie, Helen, Olivia, Grace, Chloe, Aoife, Niamh, Chiamaka, Adaeze, Akosua, Wanjiku`),
  },
];

export const POSITIVE_KINDS = [
  'exact',
  'misspelling',
  'swapped-order',
  'missing-middle-name',
  'extra-middle-name',
  'diacritics-dropped',
  'transliteration',
  'alias',
  'date-of-birth-typo',
  'no-date-of-birth',
  'combined',
] as const;
export const NEGATIVE_KINDS = [
  'namesake-other-dob',
  'same-surname-other-forenames',
  'sibling-same-dob',
  'similar-surname',
  'similar-name-other-dob',
  'unrelated-person',
] as const;
export type PositiveKind = (typeof POSITIVE_KINDS)[number];
export type NegativeKind = (typeof NEGATIVE_KINDS)[number];
export type QueryKind = PositiveKind | NegativeKind;

/** A word of a name and the group of spellings it comes from. */
interface NamePart {
  group: NameGroup;
  spelling: string;
}

export interface EvalName {
  surname: string;
  forenames: string | null;
}

export interface EvalSubject {
  id: string;
  controlNumber: string;
  surname: string;
  forenames: string | null;
  dateOfBirth: string | null;
  sex: 'F' | 'M';
  nationalities: string[];
  aliases: EvalName[];
  /** False for background notices, which no query is about. */
  target: boolean;
}

export interface EvalQuery {
  id: string;
  kind: QueryKind;
  /** The notice the query must find; null when it must find none. */
  expectedNoticeId: string | null;
  person: PersonScreening;
}

export interface EvalSet {
  seed: number;
  subjects: EvalSubject[];
  queries: EvalQuery[];
}

export interface EvalSetOptions {
  seed?: number;
  /** Subjects the positive queries are about. */
  targets?: number;
  /** Other notices in the database, which make namesakes and look-alikes more likely, as in real data. */
  background?: number;
  /** Negative queries (look-alikes, "no match"). */
  negatives?: number;
}

/** mulberry32: small, fast, and the same sequence everywhere for a seed. */
class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  uuid(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.next() * 16).toString(16));
    hex[12] = '4';
    hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
    const s = hex.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}

/** What a name looks like without its diacritics, either simply dropped or as ICAO 9303 transcribes them. */
const ICAO_TRANSCRIPTION: Record<string, string> = {
  Ä: 'AE',
  ä: 'ae',
  Ö: 'OE',
  ö: 'oe',
  Ü: 'UE',
  ü: 'ue',
  Å: 'AA',
  å: 'aa',
  Æ: 'AE',
  æ: 'ae',
  Ø: 'OE',
  ø: 'oe',
  ß: 'ss',
};
const PLAIN_LETTERS: Record<string, string> = {
  ß: 'ss',
  Æ: 'AE',
  æ: 'ae',
  Ø: 'O',
  ø: 'o',
  ı: 'i',
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
};

export function withoutDiacritics(text: string, icao = false): string {
  const table = icao ? { ...PLAIN_LETTERS, ...ICAO_TRANSCRIPTION } : PLAIN_LETTERS;
  return [...text]
    .map((c) => table[c] ?? c)
    .join('')
    .normalize('NFD')
    .replace(/\p{M}/gu, '');
}

const hasDiacritics = (text: string) => withoutDiacritics(text) !== text;
const plain = (text: string) =>
  withoutDiacritics(text)
    .toLowerCase()
    .replace(/[^a-z]/g, '');

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

/** Keys next to each other on a QWERTY keyboard: the substitutions people actually type. */
const NEIGHBOURS: Record<string, string> = {
  a: 'sqz',
  b: 'vn',
  c: 'xv',
  d: 'sf',
  e: 'wr',
  f: 'dg',
  g: 'fh',
  h: 'gj',
  i: 'uo',
  j: 'hk',
  k: 'jl',
  l: 'k',
  m: 'n',
  n: 'bm',
  o: 'ip',
  p: 'o',
  q: 'wa',
  r: 'et',
  s: 'ad',
  t: 'ry',
  u: 'yi',
  v: 'cb',
  w: 'qe',
  x: 'zc',
  y: 'tu',
  z: 'xs',
};

/** One typing error in a word of four letters or more: a neighbouring key, a lost, doubled or swapped one. */
function misspell(word: string, random: Random): string {
  const letters = [...word];
  const position = random.int(1, letters.length - 2);
  const letter = letters[position];
  switch (random.int(0, 3)) {
    case 0: {
      const lower = letter.toLowerCase();
      const options = NEIGHBOURS[lower] ?? 'e';
      let replacement = random.pick([...options]);
      if (letter !== lower) replacement = replacement.toUpperCase();
      letters[position] = replacement;
      break;
    }
    case 1:
      letters.splice(position, 1);
      break;
    case 2:
      letters.splice(position, 0, letter);
      break;
    default:
      [letters[position], letters[position + 1]] = [letters[position + 1], letters[position]];
  }
  return letters.join('');
}

function feminine(surname: string): string {
  if (/(sky|skiy)$/.test(surname)) return surname.replace(/(sky|skiy)$/, 'skaya');
  if (/(ov|ev|yov|in|yn|ow|ew)$/.test(surname)) return `${surname}a`;
  return surname;
}

interface Person {
  region: Region;
  sex: 'F' | 'M';
  surnames: NamePart[];
  forenames: NamePart[];
  dateOfBirth: string | null;
  nationalities: string[];
  aliases: EvalName[];
}

const joinParts = (parts: readonly NamePart[]) => parts.map((p) => p.spelling).join(' ');

function personName(person: Pick<Person, 'surnames' | 'forenames'>): EvalName {
  return {
    surname: joinParts(person.surnames),
    forenames: person.forenames.length > 0 ? joinParts(person.forenames) : null,
  };
}

function isoDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

class Generator {
  private readonly random: Random;

  constructor(seed: number) {
    this.random = new Random(seed);
  }

  /** A record spelling: national systems keep diacritics, so those are preferred where the name has them. */
  private part(group: NameGroup, region: Region, sex: 'F' | 'M', surname: boolean): NamePart {
    const r = this.random;
    const withMarks = group.filter(hasDiacritics);
    let spelling = withMarks.length > 0 && r.chance(0.7) ? r.pick(withMarks) : r.pick(group);
    let spellings = group;
    if (surname && region.feminineSurnames && sex === 'F') {
      spellings = group.map(feminine);
      spelling = feminine(spelling);
    }
    return { group: spellings, spelling };
  }

  private surnames(region: Region, sex: 'F' | 'M', exclude: readonly NameGroup[] = []): NamePart[] {
    const r = this.random;
    const pool = region.surnames.filter((g) => !exclude.some((e) => plain(e[0]) === plain(g[0])));
    const first = r.pick(pool);
    const parts = [this.part(first, region, sex, true)];
    if (region.doubleSurnames && r.chance(region.doubleSurnames)) {
      const second = r.pick(pool.filter((g) => g !== first));
      parts.push(this.part(second, region, sex, true));
    }
    return parts;
  }

  private forenames(
    region: Region,
    sex: 'F' | 'M',
    count: number,
    exclude: readonly NameGroup[] = [],
  ): NamePart[] {
    const r = this.random;
    const pool = (sex === 'F' ? region.female : region.male).filter(
      (g) => !exclude.some((e) => e.some((spelling) => g.some((other) => plain(other) === plain(spelling)))),
    );
    const parts: NamePart[] = [];
    while (parts.length < count) {
      const group = r.pick(pool);
      if (parts.some((p) => p.group === group)) continue;
      parts.push(this.part(group, region, sex, false));
    }
    return parts;
  }

  dateOfBirth(): string {
    const r = this.random;
    const year = r.int(1950, 2006);
    const month = r.int(1, 12);
    return isoDate(year, month, r.int(1, daysIn(year, month)));
  }

  /** Another person's date of birth: no part in common, and not the same date with day and month swapped. */
  otherDateOfBirth(date: string): string {
    const [year, month, day] = date.split('-').map(Number);
    for (;;) {
      const candidate = this.dateOfBirth();
      const [y, m, d] = candidate.split('-').map(Number);
      if (Math.abs(y - year) >= 2 && m !== month && d !== day && !(m === day && d === month))
        return candidate;
    }
  }

  /** A typing error in a date: one of year, month and day off, or day and month swapped. */
  mistypedDateOfBirth(date: string): string {
    const r = this.random;
    const [year, month, day] = date.split('-').map(Number);
    for (;;) {
      const kind = r.int(0, 3);
      let candidate = date;
      if (kind === 0) candidate = isoDate(year + r.pick([-10, -1, 1, 10]), month, day);
      if (kind === 1) candidate = isoDate(year, r.int(1, 12), day);
      if (kind === 1 && day > daysIn(year, Number(candidate.slice(5, 7)))) continue;
      if (kind === 2) candidate = isoDate(year, month, r.int(1, daysIn(year, month)));
      if (kind === 3 && day <= 12) candidate = isoDate(year, day, month);
      if (candidate !== date) return candidate;
    }
  }

  person(): Person {
    const r = this.random;
    const region = r.pick(REGIONS);
    const sex = r.chance(0.5) ? 'F' : 'M';
    const person: Person = {
      region,
      sex,
      surnames: this.surnames(region, sex),
      forenames: this.forenames(region, sex, r.chance(0.4) ? 2 : 1),
      dateOfBirth: r.chance(0.97) ? this.dateOfBirth() : null,
      nationalities: r.chance(0.1)
        ? [...new Set([r.pick(region.countries), r.pick(REGIONS).countries[0]])]
        : [r.pick(region.countries)],
      aliases: [],
    };
    if (r.chance(0.35)) {
      // Another surname with the same forenames (a married or maiden name), or a whole other identity.
      const alias = r.chance(0.5)
        ? {
            surnames: this.surnames(
              region,
              sex,
              person.surnames.map((p) => p.group),
            ),
            forenames: person.forenames,
          }
        : {
            surnames: this.surnames(
              region,
              sex,
              person.surnames.map((p) => p.group),
            ),
            forenames: this.forenames(
              region,
              sex,
              1,
              person.forenames.map((p) => p.group),
            ),
          };
      person.aliases.push(personName(alias));
    }
    return person;
  }

  /** Another spelling of a word, from its group, that differs by more than diacritics. */
  private transliterated(part: NamePart): string | null {
    const options = part.group.filter((s) => plain(s) !== plain(part.spelling));
    return options.length > 0 ? this.random.pick(options) : null;
  }

  applicable(person: Person, kind: PositiveKind): boolean {
    const name = personName(person);
    const words = [...person.surnames, ...person.forenames];
    switch (kind) {
      case 'swapped-order':
        return person.forenames.length > 0;
      case 'missing-middle-name':
        return person.forenames.length >= 2 || person.surnames.length >= 2;
      case 'extra-middle-name':
        return person.forenames.length === 1;
      case 'diacritics-dropped':
        return hasDiacritics(`${name.surname} ${name.forenames ?? ''}`);
      case 'transliteration':
        return words.some((p) => p.group.some((s) => plain(s) !== plain(p.spelling)));
      case 'alias':
        return person.aliases.length > 0;
      case 'date-of-birth-typo':
      case 'no-date-of-birth':
        return person.dateOfBirth !== null;
      default:
        return true;
    }
  }

  /** The name a query for this person carries, changed the way `kind` says. */
  variantName(person: Person, kind: PositiveKind): EvalName {
    const r = this.random;
    const surnames = person.surnames.map((p) => ({ ...p }));
    let forenames = person.forenames.map((p) => ({ ...p }));
    const all = () => [...surnames, ...forenames];
    switch (kind) {
      case 'misspelling': {
        const long = all().filter((p) => p.spelling.length >= 4);
        const target = long.length > 0 ? r.pick(long) : r.pick(all());
        target.spelling = target.spelling.length >= 4 ? misspell(target.spelling, r) : `${target.spelling}h`;
        break;
      }
      case 'swapped-order':
        return { surname: joinParts(forenames), forenames: joinParts(surnames) };
      case 'missing-middle-name':
        if (forenames.length >= 2) forenames.splice(r.int(1, forenames.length - 1), 1);
        else surnames.splice(1, 1);
        break;
      case 'extra-middle-name':
        forenames = [
          ...forenames,
          ...this.forenames(
            person.region,
            person.sex,
            1,
            forenames.map((p) => p.group),
          ),
        ];
        break;
      case 'diacritics-dropped': {
        const icao = r.chance(0.5);
        for (const p of all()) p.spelling = withoutDiacritics(p.spelling, icao);
        break;
      }
      case 'transliteration': {
        const changeable = all().filter((p) => this.transliterated(p) !== null);
        // Usually one word, sometimes every word that has another spelling.
        const chosen = r.chance(0.3) ? changeable : [r.pick(changeable)];
        for (const p of chosen) p.spelling = this.transliterated(p) ?? p.spelling;
        break;
      }
      case 'alias':
        return r.pick(person.aliases);
      case 'combined': {
        const twice = [
          'misspelling',
          'swapped-order',
          'missing-middle-name',
          'diacritics-dropped',
          'transliteration',
        ] as const;
        const first = r.pick(twice.filter((k) => this.applicable(person, k)));
        const once = this.variantName(person, first);
        const changed: Person = { ...person, ...this.parse(once, person) };
        const others = twice.filter((k) => k !== first && this.applicable(changed, k));
        return others.length > 0 ? this.variantName(changed, r.pick(others)) : once;
      }
      default:
        break;
    }
    return personName({ surnames, forenames });
  }

  /** Re-attaches groups to the words of a changed name, so that a second change can apply to it. */
  private parse(name: EvalName, person: Person): Pick<Person, 'surnames' | 'forenames'> {
    const groups = [...person.surnames, ...person.forenames];
    const attach = (word: string): NamePart => {
      const best = groups.reduce((a, b) =>
        levenshtein(plain(a.spelling), plain(word)) <= levenshtein(plain(b.spelling), plain(word)) ? a : b,
      );
      return { group: best.group, spelling: word };
    };
    const split = (text: string | null) => (text ? text.split(' ').filter(Boolean) : []);
    return { surnames: split(name.surname).map(attach), forenames: split(name.forenames).map(attach) };
  }

  /** Passports write names in capitals; officers type them either way. */
  written(name: EvalName): EvalName {
    return this.random.chance(0.5)
      ? { surname: name.surname.toUpperCase(), forenames: name.forenames?.toUpperCase() ?? null }
      : name;
  }

  nationality(person: Person): string | null {
    const r = this.random;
    if (r.chance(0.2)) return null;
    // Dual nationals travel on either passport; some are recorded under another nationality than they carry.
    return r.chance(0.92) ? r.pick(person.nationalities) : r.pick(r.pick(REGIONS).countries);
  }

  /** A surname of the region that is close to this one without being a spelling of the same name. */
  similarSurname(person: Person): NamePart[] {
    const r = this.random;
    const own = person.surnames[0];
    const candidates = person.region.surnames
      .filter((g) => !g.some((s) => own.group.some((o) => plain(o) === plain(s))))
      .map((g) => {
        const spelling = person.region.feminineSurnames && person.sex === 'F' ? feminine(g[0]) : g[0];
        const a = plain(spelling);
        const b = plain(own.spelling);
        return { group: g, spelling, distance: levenshtein(a, b) / Math.max(a.length, b.length) };
      })
      .sort((a, b) => a.distance - b.distance);
    const chosen = r.pick(candidates.slice(0, 3));
    return [{ group: chosen.group, spelling: chosen.spelling }, ...person.surnames.slice(1)];
  }

  generate(options: Required<EvalSetOptions>): EvalSet {
    const r = this.random;
    const people: Person[] = [];
    const subjects: EvalSubject[] = [];
    for (let i = 0; i < options.targets + options.background; i++) {
      const person = this.person();
      people.push(person);
      const name = personName(person);
      subjects.push({
        id: r.uuid(),
        controlNumber: `EVAL-${String(i + 1).padStart(5, '0')}`,
        surname: name.surname,
        forenames: name.forenames,
        dateOfBirth: person.dateOfBirth,
        sex: person.sex,
        nationalities: person.nationalities,
        aliases: person.aliases,
        target: i < options.targets,
      });
    }
    const queries: EvalQuery[] = [];
    const counts = new Map<QueryKind, number>();
    const add = (
      kind: QueryKind,
      expectedNoticeId: string | null,
      name: EvalName,
      dateOfBirth: string | null,
      nationality: string | null,
    ) => {
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
      queries.push({
        id: `Q${String(queries.length + 1).padStart(5, '0')}`,
        kind,
        expectedNoticeId,
        person: { surname: name.surname, forenames: name.forenames, dateOfBirth, nationality },
      });
    };

    // One positive query per target, of the applicable kind that has the fewest queries so far.
    for (let i = 0; i < options.targets; i++) {
      const person = people[i];
      const kinds = POSITIVE_KINDS.filter((k) => this.applicable(person, k));
      const fewest = Math.min(...kinds.map((k) => counts.get(k) ?? 0));
      const kind = r.pick(kinds.filter((k) => (counts.get(k) ?? 0) === fewest));
      // A traveller's passport gives the date of birth: every query carries it, except a name-only screening
      // (no-date-of-birth), where a namesake in the notices matches as well as the subject does.
      let dateOfBirth = person.dateOfBirth;
      if (kind === 'date-of-birth-typo' && person.dateOfBirth)
        dateOfBirth = this.mistypedDateOfBirth(person.dateOfBirth);
      if (kind === 'no-date-of-birth') dateOfBirth = null;
      add(
        kind,
        subjects[i].id,
        this.written(this.variantName(person, kind)),
        dateOfBirth,
        this.nationality(person),
      );
    }

    // Look-alikes: other people, built from the targets so that they resemble someone in the database.
    for (let i = 0; i < options.negatives; i++) {
      const kind = NEGATIVE_KINDS[i % NEGATIVE_KINDS.length];
      const person = people[r.int(0, options.targets - 1)];
      const dateOfBirth = person.dateOfBirth ?? this.dateOfBirth();
      const nationality = this.nationality(person);
      const name = personName(person);
      const otherForenames = () =>
        this.forenames(
          person.region,
          person.sex,
          person.forenames.length || 1,
          person.forenames.map((p) => p.group),
        );
      switch (kind) {
        case 'namesake-other-dob':
          add(kind, null, this.written(name), this.otherDateOfBirth(dateOfBirth), nationality);
          break;
        case 'same-surname-other-forenames':
          add(
            kind,
            null,
            this.written(personName({ surnames: person.surnames, forenames: otherForenames() })),
            r.chance(0.7) ? this.otherDateOfBirth(dateOfBirth) : null,
            nationality,
          );
          break;
        case 'sibling-same-dob': {
          // Twins: same surname, same birthday, another forename (of either sex).
          const sex = r.chance(0.5) ? 'F' : 'M';
          const forenames = this.forenames(
            person.region,
            sex,
            1,
            person.forenames.map((p) => p.group),
          );
          add(
            kind,
            null,
            this.written(personName({ surnames: person.surnames, forenames })),
            dateOfBirth,
            nationality,
          );
          break;
        }
        case 'similar-surname':
          add(
            kind,
            null,
            this.written(personName({ surnames: this.similarSurname(person), forenames: person.forenames })),
            this.otherDateOfBirth(dateOfBirth),
            nationality,
          );
          break;
        case 'similar-name-other-dob':
          add(
            kind,
            null,
            this.written(this.variantName(person, 'misspelling')),
            this.otherDateOfBirth(dateOfBirth),
            nationality,
          );
          break;
        default: {
          const stranger = this.person();
          add(
            kind,
            null,
            this.written(personName(stranger)),
            stranger.dateOfBirth,
            this.nationality(stranger),
          );
        }
      }
    }
    return { seed: 0, subjects, queries };
  }
}

export const DEFAULT_EVAL_SEED = 20260101;

export function generateEvalSet(options: EvalSetOptions = {}): EvalSet {
  const resolved: Required<EvalSetOptions> = {
    seed: options.seed ?? DEFAULT_EVAL_SEED,
    targets: options.targets ?? 1000,
    background: options.background ?? 1000,
    negatives: options.negatives ?? 900,
  };
  const set = new Generator(resolved.seed).generate(resolved);
  return { ...set, seed: resolved.seed };
}

function main(): void {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const seed = option('--seed');
  const set = generateEvalSet({ seed: seed ? Number(seed) : undefined });
  const out = option('--out');
  if (out) {
    fs.writeFileSync(out, `${JSON.stringify(set, null, 2)}\n`);
    console.log(`wrote ${set.subjects.length} subjects and ${set.queries.length} queries to ${out}`);
    return;
  }
  const kinds = new Map<string, number>();
  for (const q of set.queries) kinds.set(q.kind, (kinds.get(q.kind) ?? 0) + 1);
  const targets = set.subjects.filter((s) => s.target).length;
  console.log(`seed ${set.seed}: ${set.subjects.length} notices, ${targets} targets`);
  for (const [kind, count] of kinds) console.log(`  ${kind.padEnd(30)} ${count}`);
  for (const q of set.queries.filter((_, i) => i % 97 === 0))
    console.log(`  ${q.kind}: ${JSON.stringify(q.person)}`);
}

if (require.main === module) main();
