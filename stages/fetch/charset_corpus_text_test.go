package fetch

// The texts of the charset corpus (charset_corpus_test.go): a few
// paragraphs of ordinary prose per language, as a news or shop page
// holds, each representable in the legacy encodings it is used with.

const textRU = `Московский метрополитен открыл сегодня три новые станции на юго-западе города.
По словам руководства, поезда будут ходить с интервалом в две минуты в часы пик, а пассажиры смогут пересесть на кольцевую линию без выхода на улицу.
Строительство продолжалось почти пять лет и обошлось бюджету в сорок миллиардов рублей. Жители соседних районов давно ждали этого события.`

const textCS = `Příliš žluťoučký kůň úpěl ďábelské ódy.
Městská rada v Brně schválila rozpočet na příští rok, který počítá s opravou tramvajových tratí a novými cyklostezkami.
Podle primátorky se práce dotknou především centra města, kde bude doprava omezena až do konce září.`

const textJA = `東京都は今日、新しい防災計画を発表しました。
計画では、大きな地震が起きた場合に備えて、各地域の避難所を増やし、食料や水の備蓄を見直すことになっています。
知事は記者会見で「都民の皆様の安全を第一に考え、できることから着実に進めていきます」と述べました。
専門家によると、今後三十年以内に首都直下地震が発生する確率は約七十パーセントとされています。`

const textZH = `北京市政府今天宣布，将在明年春天前完成城市公园的改造工程。
根据计划，全市将新建五十个社区公园，并为老年人和儿童增加更多的休闲设施。
市民们对这一消息表示欢迎，许多人希望周末能够带着家人到附近的公园散步。
有关部门表示，工程期间将尽量减少对周边交通的影响。`

const textKO = `서울시는 오늘 대중교통 요금을 내년부터 인상한다고 발표했습니다.
시 관계자는 지하철과 버스의 운영 비용이 크게 늘어나 요금 조정이 불가피하다고 설명했습니다.
시민들은 물가가 계속 오르는 상황에서 부담이 커질 것이라며 우려를 나타냈습니다.`

const textFR = `Le conseil municipal a voté mercredi soir la rénovation complète de la médiathèque, fermée depuis l'été dernier.
Les travaux, estimés à 2,4 millions d'euros, débuteront en février et devraient durer dix-huit mois.
« C'est un lieu essentiel pour les élèves et les familles du quartier », a déclaré la maire, qui souhaite également prolonger les horaires d'ouverture le samedi.
Les associations de lecteurs saluent une décision attendue depuis longtemps, même si certaines regrettent le coût élevé du projet.`

const textDE = `Die Stadtwerke München erhöhen zum ersten Januar die Preise für Strom und Fernwärme.
Ein durchschnittlicher Haushalt muss künftig mit Mehrkosten von etwa zwölf Euro im Monat rechnen, teilte das Unternehmen am Dienstag mit.
Grund für die Erhöhung seien gestiegene Beschaffungskosten und höhere Netzentgelte.
Verbraucherschützer kritisieren die kurzfristige Ankündigung und empfehlen, Angebote anderer Anbieter zu prüfen, bevor die Kündigungsfrist abläuft.`
