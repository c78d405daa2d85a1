-- Lessonloom demo data (embedded mode with DEMO_SEED=on; applied once by lib/db/migrate.ts seedOnce).
-- 6 subjects x 4 topics, 33 hand-written lessons (each valid per lib/lessons/types.ts), and four users:
-- learner@example.com (free), pro@example.com (pro), admin@example.com (admin), nearly@example.com
-- (free, 19 of 20 lessons used today, for the quota end-to-end test). Each follows topics and owns two
-- playlists; feeds are filled from the library with the same function the app uses.

insert into public.subjects (slug, name, description, position) values
  ('science', 'Science', 'How living things, matter and the universe work.', 0),
  ('history', 'History', 'People, empires and turning points.', 1),
  ('mathematics', 'Mathematics', 'Patterns, numbers and reasoning.', 2),
  ('computing', 'Computing', 'How software and networks work.', 3),
  ('economics', 'Economics', 'Choices, markets and money.', 4),
  ('language', 'Language and Writing', 'Words, sentences and persuasion.', 5);

insert into public.topics (subject_id, slug, name, description, position)
select s.id, v.slug, v.name, v.description, v.position
  from (values
  ('science', 'cell-biology', 'Cell Biology', 'The machinery inside living cells.', 0),
  ('science', 'chemistry-basics', 'Chemistry Basics', 'Atoms, reactions and the stuff things are made of.', 1),
  ('science', 'physics-motion', 'Physics of Motion', 'Forces, speed and why things move.', 2),
  ('science', 'astronomy', 'Astronomy', 'Moons, stars and the night sky.', 3),
  ('history', 'ancient-rome', 'Ancient Rome', 'From republic to empire, roads to aqueducts.', 0),
  ('history', 'industrial-revolution', 'Industrial Revolution', 'Machines, steam and the factory age.', 1),
  ('history', 'age-of-exploration', 'Age of Exploration', 'Ocean voyages and how sailors found their way.', 2),
  ('history', 'cold-war', 'The Cold War', 'Superpower rivalry from 1947 to 1991.', 3),
  ('mathematics', 'probability', 'Probability', 'Chance, odds and expectations.', 0),
  ('mathematics', 'geometry', 'Geometry', 'Shapes, angles and space.', 1),
  ('mathematics', 'number-theory', 'Number Theory', 'Primes, divisibility and whole numbers.', 2),
  ('mathematics', 'statistics', 'Statistics', 'Summarising and reading data.', 3),
  ('computing', 'algorithms', 'Algorithms', 'Step-by-step methods and how fast they run.', 0),
  ('computing', 'databases', 'Databases', 'Storing and finding data at scale.', 1),
  ('computing', 'networking', 'Networking', 'How computers talk across the internet.', 2),
  ('computing', 'security', 'Security', 'Keeping systems and secrets safe.', 3),
  ('economics', 'markets', 'Markets and Prices', 'Supply, demand and how prices form.', 0),
  ('economics', 'money-banking', 'Money and Banking', 'What money is and how banks work.', 1),
  ('economics', 'behavioral-economics', 'Behavioral Economics', 'How real people make decisions.', 2),
  ('economics', 'trade', 'Trade', 'Why countries and people exchange.', 3),
  ('language', 'grammar', 'Grammar', 'How sentences are built.', 0),
  ('language', 'etymology', 'Etymology', 'Where words come from.', 1),
  ('language', 'rhetoric', 'Rhetoric', 'The art of persuasion.', 2),
  ('language', 'poetry', 'Poetry', 'Rhythm, sound and form in verse.', 3)
  ) as v(subject_slug, slug, name, description, position)
  join public.subjects s on s.slug = v.subject_slug;

-- Older lessons first, so the library reads in the order written here.
insert into public.lessons (topic_id, difficulty, title, normalized_title, content, content_version, source, created_at)
select t.id, x.e ->> 'difficulty', x.e ->> 'title', private.normalize_title(x.e ->> 'title'),
       jsonb_build_object('version', 1, 'title', x.e -> 'title', 'content', x.e -> 'content',
                          'difficulty', x.e -> 'difficulty', 'questions', x.e -> 'questions',
                          'keyTerms', x.e -> 'keyTerms'),
       1, 'seed', now() - interval '30 days' + x.n * interval '1 minute'
  from jsonb_array_elements($lessons$[
 {
  "topic": "cell-biology",
  "difficulty": "easy",
  "title": "Why Cells Need Membranes",
  "content": "Every living cell is wrapped in a plasma membrane, a thin double layer of lipid molecules. Each lipid has a water-loving head and two water-fearing tails, so in water they line up tail to tail and form a barrier. Small uncharged molecules such as oxygen slip through, but ions and sugars need protein channels or pumps. This selectivity lets a cell keep its inside chemistry different from the outside: a nerve cell, for example, holds more potassium inside and more sodium outside. That imbalance is stored energy, and the cell spends it to send signals and move nutrients.",
  "questions": [
   {
    "question": "What are cell membranes mainly built from?",
    "choices": [
     "Cellulose fibres",
     "A double layer of lipids",
     "Strands of DNA",
     "Starch granules"
    ],
    "correctIndex": 1,
    "explanation": "The plasma membrane is a lipid bilayer: lipids arrange tail to tail with their water-loving heads facing out."
   },
   {
    "question": "Which molecule crosses the membrane most easily on its own?",
    "choices": [
     "Sodium ions",
     "Glucose",
     "Oxygen",
     "Large proteins"
    ],
    "correctIndex": 2,
    "explanation": "Small, uncharged molecules like oxygen diffuse straight through the lipid layer; ions and sugars need proteins."
   },
   {
    "question": "Why does a nerve cell keep different ion levels inside and outside?",
    "choices": [
     "To store energy it uses for signalling",
     "To make the cell heavier",
     "To stop oxygen entering",
     "Because membranes cannot move ions"
    ],
    "correctIndex": 0,
    "explanation": "The ion imbalance across the membrane is stored energy that nerve cells release to fire signals."
   }
  ],
  "keyTerms": [
   {
    "term": "lipid bilayer",
    "definition": "Two layers of lipid molecules arranged tail to tail that form the cell membrane."
   },
   {
    "term": "ion channel",
    "definition": "A membrane protein that lets specific ions pass through."
   }
  ]
 },
 {
  "topic": "cell-biology",
  "difficulty": "easy",
  "title": "Mitochondria Power the Cell",
  "content": "Mitochondria are small compartments inside most of our cells that turn food into usable energy. They take sugars and fats that have been broken down and combine them with oxygen in a process called cellular respiration. The result is ATP, a molecule that works like a rechargeable battery: when a cell needs to contract a muscle fibre or build a protein, it breaks a bond in ATP and uses the released energy. Mitochondria even carry their own small loop of DNA, a clue that they descend from free-living bacteria that were swallowed by an ancestral cell long ago.",
  "questions": [
   {
    "question": "What molecule do mitochondria produce to store usable energy?",
    "choices": [
     "Glucose",
     "DNA",
     "Cholesterol",
     "ATP"
    ],
    "correctIndex": 3,
    "explanation": "Mitochondria make ATP, which cells break apart to release energy for work such as muscle contraction."
   },
   {
    "question": "Which gas do mitochondria need for cellular respiration?",
    "choices": [
     "Oxygen",
     "Nitrogen",
     "Carbon monoxide",
     "Helium"
    ],
    "correctIndex": 0,
    "explanation": "Cellular respiration combines broken-down food molecules with oxygen to make ATP."
   },
   {
    "question": "What suggests mitochondria were once free-living bacteria?",
    "choices": [
     "They are green",
     "They have their own DNA",
     "They float in blood",
     "They are larger than cells"
    ],
    "correctIndex": 1,
    "explanation": "Mitochondria carry their own circular DNA, like bacteria, supporting the idea that they began as engulfed bacteria."
   }
  ],
  "keyTerms": [
   {
    "term": "ATP",
    "definition": "Adenosine triphosphate, the molecule cells use to carry energy."
   },
   {
    "term": "cellular respiration",
    "definition": "The process that releases energy from food using oxygen."
   }
  ]
 },
 {
  "topic": "cell-biology",
  "difficulty": "medium",
  "title": "How DNA Becomes Protein",
  "content": "A gene is a stretch of DNA that holds instructions for one protein, but DNA never leaves the nucleus. Instead the cell copies the gene into a messenger molecule called mRNA, a step known as transcription. The mRNA travels to a ribosome, which reads its letters three at a time. Each three-letter codon names one amino acid, and transfer RNA molecules bring the matching amino acid into place. Linked in order, the amino acids fold into a working protein. This is translation. A single changed letter can swap one amino acid, which is why some mutations matter greatly.",
  "questions": [
   {
    "question": "What is the step that copies a gene into mRNA called?",
    "choices": [
     "Translation",
     "Replication",
     "Transcription",
     "Mutation"
    ],
    "correctIndex": 2,
    "explanation": "Transcription copies a gene's DNA into messenger RNA, which can leave the nucleus."
   },
   {
    "question": "How many mRNA letters make up one codon?",
    "choices": [
     "Two",
     "Three",
     "Four",
     "Twenty"
    ],
    "correctIndex": 1,
    "explanation": "Ribosomes read mRNA three letters at a time; each three-letter codon names one amino acid."
   },
   {
    "question": "Which molecules bring amino acids to the ribosome?",
    "choices": [
     "Transfer RNA",
     "Lipids",
     "Messenger RNA",
     "Hormones"
    ],
    "correctIndex": 0,
    "explanation": "Transfer RNA molecules carry specific amino acids and match them to codons on the mRNA."
   }
  ],
  "keyTerms": [
   {
    "term": "codon",
    "definition": "A sequence of three mRNA letters that specifies one amino acid."
   },
   {
    "term": "ribosome",
    "definition": "The cell machine that builds proteins by reading mRNA."
   }
  ]
 },
 {
  "topic": "chemistry-basics",
  "difficulty": "easy",
  "title": "Atoms, Protons and Electrons",
  "content": "Everything around you is made of atoms, and every atom has a tiny dense nucleus surrounded by electrons. The nucleus holds positively charged protons and neutral neutrons. The number of protons decides which element the atom is: six protons always means carbon, eight always means oxygen. Electrons carry negative charge and occupy regions around the nucleus called shells. In a neutral atom the electrons balance the protons exactly. Chemistry is mostly the story of those outer electrons, because atoms share or trade them to form bonds, which is how water, salt and sugar come to exist.",
  "questions": [
   {
    "question": "What decides which element an atom is?",
    "choices": [
     "The number of neutrons",
     "The number of protons",
     "Its temperature",
     "Its size"
    ],
    "correctIndex": 1,
    "explanation": "The proton count, called the atomic number, defines the element: six protons is always carbon."
   },
   {
    "question": "What charge does an electron carry?",
    "choices": [
     "Positive",
     "None",
     "Negative",
     "It changes randomly"
    ],
    "correctIndex": 2,
    "explanation": "Electrons are negatively charged, balancing the positive protons in a neutral atom."
   },
   {
    "question": "Which particles do atoms share or trade to form bonds?",
    "choices": [
     "Outer electrons",
     "Neutrons",
     "Protons in the nucleus",
     "Whole nuclei"
    ],
    "correctIndex": 0,
    "explanation": "Chemical bonds form when atoms share or transfer their outermost electrons."
   }
  ],
  "keyTerms": [
   {
    "term": "atomic number",
    "definition": "The number of protons in an atom's nucleus."
   },
   {
    "term": "electron shell",
    "definition": "A region around the nucleus where electrons are found."
   }
  ]
 },
 {
  "topic": "chemistry-basics",
  "difficulty": "easy",
  "title": "Acids, Bases and pH",
  "content": "The pH scale measures how acidic or basic a watery solution is, running roughly from 0 to 14. Pure water sits in the middle at 7, which we call neutral. Acids, such as lemon juice or vinegar, release hydrogen ions and have a pH below 7. Bases, such as baking soda or soap, take up hydrogen ions and have a pH above 7. The scale is logarithmic, so each step is a tenfold change: a solution at pH 3 is ten times more acidic than one at pH 4. When an acid meets a base they neutralise each other and form water and a salt.",
  "questions": [
   {
    "question": "What is the pH of pure water?",
    "choices": [
     "0",
     "3",
     "7",
     "14"
    ],
    "correctIndex": 2,
    "explanation": "Pure water is neutral, which is pH 7, the middle of the scale."
   },
   {
    "question": "How much more acidic is pH 3 than pH 4?",
    "choices": [
     "Ten times",
     "Twice",
     "Equally acidic",
     "A hundred times"
    ],
    "correctIndex": 0,
    "explanation": "The pH scale is logarithmic: each whole step is a tenfold change in hydrogen ion concentration."
   },
   {
    "question": "What forms when an acid neutralises a base?",
    "choices": [
     "Oxygen and sugar",
     "Only more acid",
     "Carbon and metal",
     "Water and a salt"
    ],
    "correctIndex": 3,
    "explanation": "Neutralisation of an acid by a base produces water and a salt."
   }
  ],
  "keyTerms": [
   {
    "term": "pH",
    "definition": "A logarithmic measure of how acidic or basic a solution is."
   },
   {
    "term": "neutralisation",
    "definition": "The reaction of an acid with a base that forms water and a salt."
   }
  ]
 },
 {
  "topic": "chemistry-basics",
  "difficulty": "medium",
  "title": "Why Reactions Need Activation Energy",
  "content": "Even reactions that release energy usually need a push to get started. A match will burn happily once lit, but it sits in the box for years because its molecules must first be bent and partly broken before new bonds can form. That initial hill is the activation energy. Heat supplies it by making molecules collide harder and more often. Catalysts work differently: they offer a new pathway with a lower hill, so more collisions succeed at the same temperature. Enzymes in your body are catalysts, letting digestion happen at body temperature instead of in a furnace.",
  "questions": [
   {
    "question": "Why does a match not burn until it is struck?",
    "choices": [
     "It lacks oxygen",
     "It needs activation energy first",
     "Matches absorb heat",
     "Its bonds are too weak"
    ],
    "correctIndex": 1,
    "explanation": "The molecules need an initial energy input, the activation energy, before the reaction can run on its own."
   },
   {
    "question": "How does a catalyst speed up a reaction?",
    "choices": [
     "It raises the temperature",
     "It is used up as fuel",
     "It lowers the activation energy",
     "It removes the products"
    ],
    "correctIndex": 2,
    "explanation": "A catalyst provides a pathway with a lower energy hill, so more collisions succeed at the same temperature."
   },
   {
    "question": "Which of these is a biological catalyst?",
    "choices": [
     "An enzyme",
     "A vitamin tablet",
     "A fat molecule",
     "A salt crystal"
    ],
    "correctIndex": 0,
    "explanation": "Enzymes are proteins that catalyse reactions such as digestion at body temperature."
   }
  ],
  "keyTerms": [
   {
    "term": "activation energy",
    "definition": "The energy needed to start a chemical reaction."
   },
   {
    "term": "catalyst",
    "definition": "A substance that speeds up a reaction without being used up."
   }
  ]
 },
 {
  "topic": "physics-motion",
  "difficulty": "easy",
  "title": "Newton's First Law Explained",
  "content": "Newton's first law says that an object keeps doing what it is already doing unless a force changes it. A book at rest stays at rest; a puck sliding on ice keeps gliding in a straight line. We rarely see endless motion on Earth because friction and air resistance are forces that slow things down. This tendency to resist changes in motion is called inertia, and it grows with mass: a loaded shopping trolley is harder to start and harder to stop than an empty one. Seatbelts exist because your body keeps moving forward when a car suddenly brakes.",
  "questions": [
   {
    "question": "What does Newton's first law describe?",
    "choices": [
     "Objects keep their motion unless a force acts",
     "Heavier objects fall faster",
     "Every action has a reaction",
     "Energy is always conserved"
    ],
    "correctIndex": 0,
    "explanation": "The first law states that an object stays at rest or in uniform motion unless a force changes it."
   },
   {
    "question": "Why does a sliding hockey puck eventually stop on real ice?",
    "choices": [
     "Inertia runs out",
     "Gravity pushes it backwards",
     "Friction acts on it",
     "Its mass decreases"
    ],
    "correctIndex": 2,
    "explanation": "Friction from the ice and air resistance are forces that slow the puck; without them it would keep going."
   },
   {
    "question": "Which object has the most inertia?",
    "choices": [
     "An empty trolley",
     "A feather",
     "A paper cup",
     "A fully loaded trolley"
    ],
    "correctIndex": 3,
    "explanation": "Inertia grows with mass, so the loaded trolley resists changes in motion the most."
   }
  ],
  "keyTerms": [
   {
    "term": "inertia",
    "definition": "An object's resistance to changes in its motion."
   },
   {
    "term": "friction",
    "definition": "A force that opposes sliding between surfaces."
   }
  ]
 },
 {
  "topic": "physics-motion",
  "difficulty": "easy",
  "title": "Speed, Velocity and Acceleration",
  "content": "Speed tells you how fast something moves, such as 50 kilometres per hour. Velocity adds a direction: 50 kilometres per hour heading north. The difference matters because a car driving around a roundabout at a steady speed is still changing its velocity, since its direction keeps changing. Acceleration is the rate at which velocity changes. Pressing the accelerator, pressing the brake and turning the wheel all produce acceleration. A ball thrown straight up shows this well: gravity accelerates it downward the whole time, slowing it on the way up and speeding it on the way down.",
  "questions": [
   {
    "question": "What does velocity include that speed does not?",
    "choices": [
     "Mass",
     "Direction",
     "Time",
     "Temperature"
    ],
    "correctIndex": 1,
    "explanation": "Velocity is speed together with a direction, such as 50 km/h heading north."
   },
   {
    "question": "A car circles a roundabout at constant speed. Is it accelerating?",
    "choices": [
     "No, speed is constant",
     "Only if it brakes",
     "Yes, its direction changes",
     "Only going uphill"
    ],
    "correctIndex": 2,
    "explanation": "Acceleration is any change in velocity, and changing direction changes velocity even at constant speed."
   },
   {
    "question": "Which way does gravity accelerate a ball thrown straight up?",
    "choices": [
     "Downward the whole time",
     "Upward while rising",
     "Sideways",
     "Not at all at the top"
    ],
    "correctIndex": 0,
    "explanation": "Gravity always pulls downward, slowing the ball as it rises and speeding it as it falls."
   }
  ],
  "keyTerms": [
   {
    "term": "velocity",
    "definition": "Speed in a given direction."
   },
   {
    "term": "acceleration",
    "definition": "The rate of change of velocity."
   }
  ]
 },
 {
  "topic": "astronomy",
  "difficulty": "easy",
  "title": "Why the Moon Has Phases",
  "content": "The Moon makes no light of its own; it shines by reflecting sunlight. At every moment the Sun lights exactly half of the Moon, but as the Moon orbits Earth over about a month, we see different amounts of that lit half. When the Moon sits between Earth and the Sun, the lit side faces away and we see a new moon. A week later we see half of the lit side as a first quarter. When Earth is between the two, the whole lit face points at us: a full moon. Phases are about viewing angle, not Earth's shadow.",
  "questions": [
   {
    "question": "Where does moonlight come from?",
    "choices": [
     "Sunlight reflected by the Moon",
     "The Moon's own glowing rocks",
     "Light from Earth's cities",
     "Distant stars"
    ],
    "correctIndex": 0,
    "explanation": "The Moon only reflects sunlight; it has no light source of its own."
   },
   {
    "question": "What causes the Moon's phases?",
    "choices": [
     "Earth's shadow covering it",
     "Clouds on the Moon",
     "The Moon changing size",
     "Our changing view of its lit half"
    ],
    "correctIndex": 3,
    "explanation": "As the Moon orbits, we see different portions of its sunlit half. Earth's shadow only matters during eclipses."
   },
   {
    "question": "Where is the Moon during a full moon?",
    "choices": [
     "Between Earth and the Sun",
     "On the far side of Earth from the Sun",
     "Directly behind the Sun",
     "Beside the Sun"
    ],
    "correctIndex": 1,
    "explanation": "At full moon Earth lies between the Sun and Moon, so the Moon's entire lit face points toward us."
   }
  ],
  "keyTerms": [
   {
    "term": "lunar phase",
    "definition": "The shape of the Moon's sunlit part as seen from Earth."
   },
   {
    "term": "orbit",
    "definition": "The curved path of one body around another."
   }
  ]
 },
 {
  "topic": "astronomy",
  "difficulty": "easy",
  "title": "How Stars Shine by Fusion",
  "content": "A star is a huge ball of gas held together by its own gravity. Deep in its core the pressure and temperature are so great, millions of degrees, that hydrogen nuclei collide hard enough to fuse into helium. Each fusion turns a tiny amount of mass into a large amount of energy, as Einstein's famous equation describes. That energy slowly works its way outward and leaves the surface as light. The outward push of this energy balances gravity's inward pull, keeping the star stable for billions of years. Our Sun fuses about six hundred million tonnes of hydrogen every second.",
  "questions": [
   {
    "question": "Which element do stars like the Sun mainly fuse in their cores?",
    "choices": [
     "Iron",
     "Carbon",
     "Oxygen",
     "Hydrogen"
    ],
    "correctIndex": 3,
    "explanation": "Main-sequence stars fuse hydrogen nuclei into helium in their hot, dense cores."
   },
   {
    "question": "Where does the energy released by fusion come from?",
    "choices": [
     "Burning oxygen",
     "A small amount of mass converted to energy",
     "Magnetic storms",
     "Friction between gas clouds"
    ],
    "correctIndex": 1,
    "explanation": "Fusion products weigh slightly less than the inputs; that lost mass becomes energy, as E = mc² describes."
   },
   {
    "question": "What keeps a star from collapsing under gravity?",
    "choices": [
     "The outward push of energy from fusion",
     "Its solid iron shell",
     "Spinning very fast",
     "Nearby planets"
    ],
    "correctIndex": 0,
    "explanation": "Energy flowing out from the core pushes outward and balances gravity's pull."
   }
  ],
  "keyTerms": [
   {
    "term": "nuclear fusion",
    "definition": "Joining light nuclei into heavier ones, releasing energy."
   },
   {
    "term": "core",
    "definition": "The hot, dense centre of a star where fusion happens."
   }
  ]
 },
 {
  "topic": "ancient-rome",
  "difficulty": "easy",
  "title": "From Roman Republic to Empire",
  "content": "For almost five hundred years Rome was a republic. Citizens elected officials, two consuls shared the top job for a single year, and the Senate advised them, so no one person held power for long. Conquest changed that balance. Generals commanding loyal armies grew richer and more powerful than the state itself, and civil wars followed. Julius Caesar made himself dictator for life and was murdered in 44 BC. His adopted heir Octavian defeated his rivals, took the title Augustus in 27 BC and became the first emperor, while carefully keeping the old republican offices as a facade.",
  "questions": [
   {
    "question": "How many consuls led the Roman Republic at once?",
    "choices": [
     "One",
     "Two",
     "Five",
     "Ten"
    ],
    "correctIndex": 1,
    "explanation": "The Republic split top power between two consuls elected for a single year, to stop one man ruling."
   },
   {
    "question": "Who became the first Roman emperor?",
    "choices": [
     "Julius Caesar",
     "Nero",
     "Augustus",
     "Romulus"
    ],
    "correctIndex": 2,
    "explanation": "Octavian took the title Augustus in 27 BC and is counted as the first emperor; Caesar was dictator, not emperor."
   },
   {
    "question": "What weakened the Republic's balance of power?",
    "choices": [
     "Generals with loyal armies",
     "A shortage of farmland",
     "Too many consuls",
     "The invention of coins"
    ],
    "correctIndex": 0,
    "explanation": "Generals whose soldiers were loyal to them personally could challenge the state, leading to civil wars."
   }
  ],
  "keyTerms": [
   {
    "term": "consul",
    "definition": "One of two annually elected chief magistrates of the Roman Republic."
   },
   {
    "term": "Senate",
    "definition": "The council of Roman elders that advised magistrates."
   }
  ]
 },
 {
  "topic": "ancient-rome",
  "difficulty": "easy",
  "title": "How Roman Aqueducts Carried Water",
  "content": "Roman aqueducts brought fresh water to cities from springs and rivers many kilometres away, using nothing but gravity. Engineers surveyed routes so that the channel fell very gently the whole way, sometimes only a few metres over dozens of kilometres. Most of an aqueduct actually ran underground in covered channels; the famous stone arches were built only where the route had to cross a valley. At the city the water filled distribution tanks that fed public fountains first, then baths, then private homes of those who paid. Rome's eleven aqueducts delivered about a million cubic metres daily.",
  "questions": [
   {
    "question": "What moved water along Roman aqueducts?",
    "choices": [
     "Steam pumps",
     "Slaves carrying buckets",
     "Windmills",
     "Gravity"
    ],
    "correctIndex": 3,
    "explanation": "Aqueducts relied on a gentle, continuous downhill slope, so gravity did all the work."
   },
   {
    "question": "Where did most of an aqueduct's length run?",
    "choices": [
     "On tall arches",
     "Underground in covered channels",
     "Inside city walls",
     "Along riverbeds"
    ],
    "correctIndex": 1,
    "explanation": "Most channels ran underground; arches were used only to cross valleys."
   },
   {
    "question": "Which users were supplied first from the distribution tanks?",
    "choices": [
     "Public fountains",
     "Private homes",
     "Factories",
     "Farms"
    ],
    "correctIndex": 0,
    "explanation": "Public fountains had priority, then baths, then paying private households."
   }
  ],
  "keyTerms": [
   {
    "term": "aqueduct",
    "definition": "A channel or bridge built to carry water over a distance."
   },
   {
    "term": "gradient",
    "definition": "The steepness of a slope."
   }
  ]
 },
 {
  "topic": "industrial-revolution",
  "difficulty": "easy",
  "title": "Steam Power Changes Industry",
  "content": "Before the eighteenth century, workshops depended on muscles, wind and flowing water. Early steam engines pumped water out of mines, but they wasted most of their coal. James Watt added a separate condenser in the 1760s, so the cylinder no longer had to be cooled and reheated on every stroke, and fuel use fell dramatically. Factories no longer had to sit beside fast rivers; they could be built in towns near workers and coal. Steam soon drove spinning mills, then locomotives and ships, shrinking journeys that had taken days into hours and tying distant markets together.",
  "questions": [
   {
    "question": "What did James Watt add to make steam engines efficient?",
    "choices": [
     "A separate condenser",
     "A larger chimney",
     "Electric ignition",
     "A water wheel"
    ],
    "correctIndex": 0,
    "explanation": "Watt's separate condenser meant the cylinder stayed hot, greatly cutting coal use."
   },
   {
    "question": "Why could steam-powered factories move away from rivers?",
    "choices": [
     "Rivers dried up",
     "Laws banned river mills",
     "They no longer needed water power",
     "Trains required it"
    ],
    "correctIndex": 2,
    "explanation": "Steam engines replaced water wheels, so factories could be built near towns and coal instead."
   },
   {
    "question": "What were early steam engines first used for?",
    "choices": [
     "Powering cars",
     "Pumping water from mines",
     "Lighting streets",
     "Printing books"
    ],
    "correctIndex": 1,
    "explanation": "The first practical steam engines pumped water out of mines."
   }
  ],
  "keyTerms": [
   {
    "term": "condenser",
    "definition": "A chamber where steam is cooled back into water."
   },
   {
    "term": "factory system",
    "definition": "Manufacturing in large centralised workplaces with powered machines."
   }
  ]
 },
 {
  "topic": "age-of-exploration",
  "difficulty": "easy",
  "title": "Navigating with Stars and Compass",
  "content": "Sailors of the fifteenth and sixteenth centuries crossed oceans with surprisingly simple tools. A magnetic compass showed direction even under clouds. To find latitude, their position north or south, they measured the angle of the Pole Star or the noon Sun above the horizon with an astrolabe or quadrant. Longitude, the east-west position, was far harder, because it depends on knowing the exact time at a home port. Navigators estimated it by dead reckoning, combining speed, heading and time sailed. Errors of hundreds of kilometres were common until accurate sea clocks arrived in the 1760s.",
  "questions": [
   {
    "question": "What did sailors measure to find their latitude?",
    "choices": [
     "The height of the Pole Star or noon Sun",
     "The depth of the sea",
     "The speed of the wind",
     "The colour of the water"
    ],
    "correctIndex": 0,
    "explanation": "The angle of the Pole Star or the noon Sun above the horizon reveals how far north or south you are."
   },
   {
    "question": "Why was longitude so hard to find?",
    "choices": [
     "Compasses did not work at sea",
     "It required knowing the exact time at home",
     "Stars were not visible",
     "Maps had no grid"
    ],
    "correctIndex": 1,
    "explanation": "Longitude depends on the time difference with a reference port, which needed accurate clocks."
   },
   {
    "question": "What is dead reckoning?",
    "choices": [
     "Reading the stars",
     "Following coastlines",
     "Estimating position from speed, heading and time",
     "Asking other ships"
    ],
    "correctIndex": 2,
    "explanation": "Dead reckoning calculates position from known speed, direction and time travelled."
   }
  ],
  "keyTerms": [
   {
    "term": "latitude",
    "definition": "Position north or south of the equator."
   },
   {
    "term": "dead reckoning",
    "definition": "Estimating position from speed, heading and elapsed time."
   }
  ]
 },
 {
  "topic": "cold-war",
  "difficulty": "easy",
  "title": "What the Cold War Was",
  "content": "After the Second World War, the United States and the Soviet Union emerged as rival superpowers with opposing systems: market democracy against one-party communism. From about 1947 to 1991 they competed for influence everywhere, yet never fought each other directly, which is why historians call it a cold war. Both built nuclear arsenals large enough to destroy the other, and that threat of mutual destruction discouraged open war. Instead rivalry played out through alliances such as NATO and the Warsaw Pact, proxy wars in Korea and Vietnam, the space race, and spying.",
  "questions": [
   {
    "question": "Why is it called a 'cold' war?",
    "choices": [
     "It was fought in Arctic regions",
     "The superpowers never fought each other directly",
     "It happened in winter",
     "No weapons were built"
    ],
    "correctIndex": 1,
    "explanation": "The two superpowers competed fiercely but avoided direct war with each other."
   },
   {
    "question": "Which military alliance did the Soviet Union lead?",
    "choices": [
     "NATO",
     "The League of Nations",
     "The Warsaw Pact",
     "The European Union"
    ],
    "correctIndex": 2,
    "explanation": "The Warsaw Pact was the Soviet-led alliance; NATO was led by the United States."
   },
   {
    "question": "What discouraged the superpowers from open war?",
    "choices": [
     "The threat of mutual nuclear destruction",
     "A shared language",
     "A treaty banning armies",
     "Lack of money"
    ],
    "correctIndex": 0,
    "explanation": "Both sides could destroy the other with nuclear weapons, so open war would have been suicidal."
   }
  ],
  "keyTerms": [
   {
    "term": "superpower",
    "definition": "A state with dominant global military and economic power."
   },
   {
    "term": "proxy war",
    "definition": "A conflict where rival powers back opposing sides instead of fighting directly."
   }
  ]
 },
 {
  "topic": "probability",
  "difficulty": "easy",
  "title": "Probability as Counting Outcomes",
  "content": "Probability measures how likely something is, on a scale from 0, impossible, to 1, certain. When all outcomes are equally likely, you can find it by counting: divide the number of outcomes you want by the number of possible outcomes. A fair six-sided die has six faces, and three of them are even, so the probability of rolling an even number is three sixths, or one half. The probability that something does not happen is one minus the probability that it does. So the chance of not rolling a six is one minus one sixth, which is five sixths.",
  "questions": [
   {
    "question": "What is the probability of an impossible event?",
    "choices": [
     "0",
     "0.5",
     "1",
     "It cannot be measured"
    ],
    "correctIndex": 0,
    "explanation": "Probabilities run from 0 for impossible to 1 for certain."
   },
   {
    "question": "What is the probability of rolling an even number on a fair die?",
    "choices": [
     "1/6",
     "1/3",
     "2/3",
     "1/2"
    ],
    "correctIndex": 3,
    "explanation": "Three of the six equally likely faces are even: 3/6 = 1/2."
   },
   {
    "question": "If P(rain) is 0.3, what is P(no rain)?",
    "choices": [
     "0.3",
     "0.7",
     "1.3",
     "0.03"
    ],
    "correctIndex": 1,
    "explanation": "The complement rule says P(not A) = 1 − P(A), so 1 − 0.3 = 0.7."
   }
  ],
  "keyTerms": [
   {
    "term": "outcome",
    "definition": "One possible result of a random experiment."
   },
   {
    "term": "complement",
    "definition": "The event that a given event does not happen."
   }
  ]
 },
 {
  "topic": "probability",
  "difficulty": "easy",
  "title": "Independent Events Multiply Together",
  "content": "Two events are independent when one happening does not change the chance of the other. Flipping a coin and rolling a die are independent: the coin has no idea what the die did. To find the probability that both independent events happen, multiply their probabilities. The chance of heads and a six is one half times one sixth, which is one twelfth. A common mistake is the gambler's fallacy, believing that after five heads in a row tails is now due. A fair coin has no memory, so the next flip is still exactly fifty-fifty.",
  "questions": [
   {
    "question": "How do you find the probability that two independent events both happen?",
    "choices": [
     "Add their probabilities",
     "Subtract them",
     "Multiply their probabilities",
     "Take the larger one"
    ],
    "correctIndex": 2,
    "explanation": "For independent events, P(A and B) = P(A) × P(B)."
   },
   {
    "question": "What is the probability of flipping heads and rolling a six?",
    "choices": [
     "1/12",
     "1/8",
     "2/3",
     "7/12"
    ],
    "correctIndex": 0,
    "explanation": "Multiply: 1/2 × 1/6 = 1/12."
   },
   {
    "question": "After five heads in a row, what is the chance the next fair flip is tails?",
    "choices": [
     "Much higher than 1/2",
     "Exactly 1/2",
     "Zero",
     "Lower than 1/2"
    ],
    "correctIndex": 1,
    "explanation": "Coin flips are independent; past results do not change the next flip. Believing otherwise is the gambler's fallacy."
   }
  ],
  "keyTerms": [
   {
    "term": "independent events",
    "definition": "Events where one occurring does not affect the other's probability."
   },
   {
    "term": "gambler's fallacy",
    "definition": "The false belief that past random results change future odds."
   }
  ]
 },
 {
  "topic": "geometry",
  "difficulty": "easy",
  "title": "Pythagoras and Right Triangles",
  "content": "In any right triangle, the side opposite the right angle is the longest and is called the hypotenuse. The Pythagorean theorem says that the square of the hypotenuse equals the sum of the squares of the other two sides: a squared plus b squared equals c squared. If a ladder stands three metres from a wall and reaches four metres up, the ladder must be five metres long, because nine plus sixteen is twenty-five. Builders have long used this 3-4-5 pattern with a knotted rope to check that corners are perfectly square before laying foundations.",
  "questions": [
   {
    "question": "What is the hypotenuse?",
    "choices": [
     "The shortest side",
     "The side opposite the right angle",
     "The base of any triangle",
     "The height of a triangle"
    ],
    "correctIndex": 1,
    "explanation": "The hypotenuse is opposite the right angle and is always the longest side."
   },
   {
    "question": "A right triangle has legs 6 and 8. How long is the hypotenuse?",
    "choices": [
     "10",
     "14",
     "12",
     "48"
    ],
    "correctIndex": 0,
    "explanation": "6² + 8² = 36 + 64 = 100, and √100 = 10."
   },
   {
    "question": "Why did builders use a 3-4-5 rope?",
    "choices": [
     "To measure height",
     "To weigh stones",
     "To check that corners are square",
     "To draw circles"
    ],
    "correctIndex": 2,
    "explanation": "A triangle with sides 3, 4 and 5 must contain a right angle, so it checks square corners."
   }
  ],
  "keyTerms": [
   {
    "term": "hypotenuse",
    "definition": "The longest side of a right triangle, opposite the right angle."
   },
   {
    "term": "right angle",
    "definition": "An angle of exactly 90 degrees."
   }
  ]
 },
 {
  "topic": "number-theory",
  "difficulty": "easy",
  "title": "Prime Numbers as Building Blocks",
  "content": "A prime number is a whole number greater than one whose only divisors are one and itself: 2, 3, 5, 7, 11 and so on. Numbers with other divisors, like 12, are called composite. Every whole number above one can be written as a product of primes in exactly one way, apart from order; 12 is 2 times 2 times 3. This is why primes are called the building blocks of arithmetic. Euclid proved more than two thousand years ago that the primes never run out. Today very large primes protect online banking, because multiplying them is easy but factoring the product is hard.",
  "questions": [
   {
    "question": "Which of these numbers is prime?",
    "choices": [
     "9",
     "15",
     "21",
     "13"
    ],
    "correctIndex": 3,
    "explanation": "13 has no divisors other than 1 and itself; 9, 15 and 21 are all composite."
   },
   {
    "question": "What is the prime factorisation of 12?",
    "choices": [
     "2 × 2 × 3",
     "3 × 4",
     "2 × 6",
     "1 × 12"
    ],
    "correctIndex": 0,
    "explanation": "Written as a product of primes only, 12 = 2 × 2 × 3."
   },
   {
    "question": "Why are large primes useful for online security?",
    "choices": [
     "They are easy to guess",
     "Factoring their product is hard",
     "They are even numbers",
     "Computers cannot store them"
    ],
    "correctIndex": 1,
    "explanation": "Multiplying two large primes is fast, but recovering them from the product is extremely slow."
   }
  ],
  "keyTerms": [
   {
    "term": "prime number",
    "definition": "A whole number above one divisible only by one and itself."
   },
   {
    "term": "factorisation",
    "definition": "Writing a number as a product of smaller factors."
   }
  ]
 },
 {
  "topic": "statistics",
  "difficulty": "easy",
  "title": "Mean, Median and Mode",
  "content": "Averages summarise a list of numbers with one value, but there are several kinds. The mean adds everything up and divides by how many values there are. The median is the middle value once the list is sorted. The mode is the value that appears most often. They can tell very different stories. Imagine five people earning 20, 25, 30, 35 and 400 thousand a year. The mean is 102 thousand, pulled up by one large salary, while the median is 30 thousand, which better describes a typical person. That is why reports on incomes and house prices usually quote medians.",
  "questions": [
   {
    "question": "How is the median found?",
    "choices": [
     "Add all values and divide",
     "Take the middle value of the sorted list",
     "Pick the most common value",
     "Subtract the smallest from the largest"
    ],
    "correctIndex": 1,
    "explanation": "The median is the middle value after sorting the data."
   },
   {
    "question": "Why is the mean of 20, 25, 30, 35 and 400 misleading?",
    "choices": [
     "One very large value pulls it up",
     "It is always wrong",
     "There is no mode",
     "The list is too short to average"
    ],
    "correctIndex": 0,
    "explanation": "A single extreme value, an outlier, drags the mean far above what is typical."
   },
   {
    "question": "What is the mode of 2, 3, 3, 5, 7?",
    "choices": [
     "2",
     "4",
     "5",
     "3"
    ],
    "correctIndex": 3,
    "explanation": "The mode is the most frequent value, and 3 appears twice."
   }
  ],
  "keyTerms": [
   {
    "term": "median",
    "definition": "The middle value of sorted data."
   },
   {
    "term": "outlier",
    "definition": "A value far from the rest of the data."
   }
  ]
 },
 {
  "topic": "algorithms",
  "difficulty": "easy",
  "title": "Binary Search Halves the Problem",
  "content": "Looking for a name in a sorted phone book, you would not start at page one. You open near the middle, see whether the name comes before or after, and discard half the book. Binary search does exactly this with a sorted list: compare the target with the middle item, then repeat on the half that could still contain it. Each step halves the remaining items, so a list of a million entries needs only about twenty comparisons. The catch is that the list must already be sorted; on unsorted data you must check items one by one, which is called linear search.",
  "questions": [
   {
    "question": "What must be true of a list before using binary search?",
    "choices": [
     "It must be sorted",
     "It must be short",
     "It must contain numbers only",
     "It must have no duplicates"
    ],
    "correctIndex": 0,
    "explanation": "Binary search relies on order to know which half to discard, so the list must be sorted."
   },
   {
    "question": "About how many comparisons does binary search need for a million items?",
    "choices": [
     "A million",
     "Half a million",
     "About twenty",
     "Exactly two"
    ],
    "correctIndex": 2,
    "explanation": "Each step halves the list, and 2 to the 20th is about a million, so roughly twenty steps suffice."
   },
   {
    "question": "What is checking items one by one called?",
    "choices": [
     "Binary search",
     "Hashing",
     "Sorting",
     "Linear search"
    ],
    "correctIndex": 3,
    "explanation": "Linear search examines each item in turn and works on unsorted data, but is much slower on large lists."
   }
  ],
  "keyTerms": [
   {
    "term": "binary search",
    "definition": "Finding an item in sorted data by repeatedly halving the search range."
   },
   {
    "term": "linear search",
    "definition": "Checking items one at a time until the target is found."
   }
  ]
 },
 {
  "topic": "algorithms",
  "difficulty": "easy",
  "title": "Big O Describes Growth",
  "content": "Big O notation describes how an algorithm's work grows as its input gets bigger, ignoring details like processor speed. Reading every item in a list once is O(n): double the list, double the work. Comparing every item with every other item is O(n squared): double the list and the work quadruples. Binary search is O(log n), growing very slowly. The notation matters most at scale. For ten items the difference hardly shows, but for ten million items an O(n squared) approach might take days while an O(n log n) sort finishes in seconds. Engineers use it to choose algorithms before writing code.",
  "questions": [
   {
    "question": "What does Big O notation describe?",
    "choices": [
     "How work grows with input size",
     "The exact running time in seconds",
     "How much memory a computer has",
     "The number of programmers needed"
    ],
    "correctIndex": 0,
    "explanation": "Big O captures the growth rate of an algorithm's work as the input grows."
   },
   {
    "question": "If an O(n²) algorithm's input doubles, its work roughly...",
    "choices": [
     "Doubles",
     "Stays the same",
     "Halves",
     "Quadruples"
    ],
    "correctIndex": 3,
    "explanation": "With quadratic growth, doubling n multiplies the work by four."
   },
   {
    "question": "Which grows most slowly as input increases?",
    "choices": [
     "O(n²)",
     "O(log n)",
     "O(n)",
     "O(n log n)"
    ],
    "correctIndex": 1,
    "explanation": "Logarithmic growth, as in binary search, increases very slowly even for huge inputs."
   }
  ],
  "keyTerms": [
   {
    "term": "Big O notation",
    "definition": "A way to describe how an algorithm's cost grows with input size."
   },
   {
    "term": "quadratic time",
    "definition": "Work that grows with the square of the input size."
   }
  ]
 },
 {
  "topic": "databases",
  "difficulty": "easy",
  "title": "Why Databases Use Indexes",
  "content": "A database table can hold millions of rows. Without help, finding every order placed by one customer means reading each row, a full table scan. An index is a separate, sorted structure, usually a tree, that maps values such as customer IDs to the rows that contain them, much like the index at the back of a book. With it the database jumps straight to the right rows in a handful of steps. Indexes are not free, though. Each one takes storage and must be updated on every insert or change, so designers index the columns that queries actually filter on.",
  "questions": [
   {
    "question": "What is a full table scan?",
    "choices": [
     "Reading every row to find matches",
     "Backing up the table",
     "Deleting old rows",
     "Sorting the table"
    ],
    "correctIndex": 0,
    "explanation": "Without a usable index, the database must read every row to find the ones that match."
   },
   {
    "question": "What is a downside of adding indexes?",
    "choices": [
     "Queries always get slower",
     "Tables can no longer be read",
     "Writes get slower and storage grows",
     "Data becomes unsorted"
    ],
    "correctIndex": 2,
    "explanation": "Every index must be maintained on inserts and updates and uses extra storage."
   },
   {
    "question": "Which columns are best worth indexing?",
    "choices": [
     "Every column",
     "Columns queries filter on",
     "Only text columns",
     "Columns that are never read"
    ],
    "correctIndex": 1,
    "explanation": "Indexes pay off for columns used in WHERE clauses and joins."
   }
  ],
  "keyTerms": [
   {
    "term": "index",
    "definition": "A sorted structure that lets a database find rows quickly."
   },
   {
    "term": "full table scan",
    "definition": "Reading every row of a table to answer a query."
   }
  ]
 },
 {
  "topic": "networking",
  "difficulty": "easy",
  "title": "What Happens When You Visit a Website",
  "content": "Typing a web address starts a quick chain of events. First your computer asks the Domain Name System to translate a name like example.com into an IP address, a number that identifies the server. Next it opens a connection to that address, and for secure sites it performs a TLS handshake to agree on encryption keys. Then your browser sends an HTTP request asking for the page. The server replies with HTML, and the browser reads it, fetching any images, styles and scripts it mentions. All of this usually happens in well under a second.",
  "questions": [
   {
    "question": "What does DNS do?",
    "choices": [
     "Encrypts web pages",
     "Translates domain names into IP addresses",
     "Stores your passwords",
     "Speeds up your processor"
    ],
    "correctIndex": 1,
    "explanation": "The Domain Name System maps human-readable names to the numeric IP addresses of servers."
   },
   {
    "question": "What is the TLS handshake for?",
    "choices": [
     "Agreeing on encryption keys",
     "Choosing a font",
     "Finding the IP address",
     "Compressing images"
    ],
    "correctIndex": 0,
    "explanation": "During the TLS handshake, browser and server agree on keys to encrypt the connection."
   },
   {
    "question": "What does the browser receive first in reply to its HTTP request?",
    "choices": [
     "A video",
     "An IP address",
     "A password",
     "An HTML document"
    ],
    "correctIndex": 3,
    "explanation": "The server first sends HTML; the browser then fetches the images, styles and scripts it references."
   }
  ],
  "keyTerms": [
   {
    "term": "DNS",
    "definition": "The Domain Name System, which maps names to IP addresses."
   },
   {
    "term": "HTTP",
    "definition": "The protocol browsers use to request web pages."
   }
  ]
 },
 {
  "topic": "security",
  "difficulty": "easy",
  "title": "Why Passwords Are Hashed",
  "content": "Well-built websites never store your password itself. Instead they store a hash: the output of a one-way function that turns the password into a scrambled string. When you log in, the site hashes what you typed and compares it with the stored hash. If attackers steal the database, they get hashes, not passwords. To stop attackers precomputing hashes of common passwords, each user's password is combined with a random value called a salt before hashing. Good systems also use deliberately slow hash functions, such as bcrypt or Argon2, so guessing millions of passwords takes far too long.",
  "questions": [
   {
    "question": "What does a website store instead of your password?",
    "choices": [
     "Your password in capitals",
     "An encrypted email",
     "A hash of your password",
     "Nothing at all"
    ],
    "correctIndex": 2,
    "explanation": "Sites store a one-way hash; at login they hash the attempt and compare."
   },
   {
    "question": "What is a salt used for?",
    "choices": [
     "Making identical passwords hash differently",
     "Speeding up logins",
     "Encrypting emails",
     "Storing backups"
    ],
    "correctIndex": 0,
    "explanation": "A random salt per user defeats precomputed tables of common password hashes."
   },
   {
    "question": "Why use a deliberately slow hash like bcrypt?",
    "choices": [
     "To save disk space",
     "To make guessing many passwords impractical",
     "To let users log in faster",
     "To allow reversing the hash"
    ],
    "correctIndex": 1,
    "explanation": "A slow hash barely affects one login but makes testing millions of guesses very expensive."
   }
  ],
  "keyTerms": [
   {
    "term": "hash function",
    "definition": "A one-way function that maps data to a fixed scrambled value."
   },
   {
    "term": "salt",
    "definition": "A random value added to a password before hashing."
   }
  ]
 },
 {
  "topic": "markets",
  "difficulty": "easy",
  "title": "Supply, Demand and Prices",
  "content": "In a market, prices come from the tug between supply and demand. Demand is how much people want to buy at each price; usually they buy less as the price rises. Supply is how much sellers offer at each price; usually they offer more as the price rises. Where the two meet is the equilibrium price, at which the amount people want to buy equals the amount offered. If a frost ruins half the orange crop, supply falls, oranges become scarce, and the price climbs until fewer people are willing to buy them at that higher price.",
  "questions": [
   {
    "question": "What usually happens to demand when a price rises?",
    "choices": [
     "People buy less",
     "People buy more",
     "It stays exactly the same",
     "Sellers stop selling"
    ],
    "correctIndex": 0,
    "explanation": "Higher prices usually reduce the quantity people want to buy."
   },
   {
    "question": "What is the equilibrium price?",
    "choices": [
     "The highest possible price",
     "The price set by law",
     "Where quantity demanded equals quantity supplied",
     "The cost of production"
    ],
    "correctIndex": 2,
    "explanation": "At equilibrium, the amount buyers want equals the amount sellers offer."
   },
   {
    "question": "A frost destroys half the orange crop. What happens to orange prices?",
    "choices": [
     "They fall",
     "They rise",
     "They stay the same",
     "Oranges become free"
    ],
    "correctIndex": 1,
    "explanation": "Supply drops while demand is unchanged, so the price rises until demand matches the smaller supply."
   }
  ],
  "keyTerms": [
   {
    "term": "equilibrium price",
    "definition": "The price at which quantity supplied equals quantity demanded."
   },
   {
    "term": "demand",
    "definition": "How much buyers want to purchase at each price."
   }
  ]
 },
 {
  "topic": "money-banking",
  "difficulty": "easy",
  "title": "How Banks Create Money",
  "content": "Most money today is not coins or notes but numbers in bank accounts, and banks create much of it. When you deposit money, the bank does not keep it all in a vault. It keeps a fraction as reserves and lends the rest to someone else. When that loan is spent, the money lands in another account, and that bank can lend part of it again. Each new loan creates a new deposit, so the total money in the economy grows. Central banks steer this process by setting interest rates, which make borrowing cheaper or more expensive.",
  "questions": [
   {
    "question": "What form does most money take today?",
    "choices": [
     "Gold coins",
     "Paper notes",
     "Bank account balances",
     "Cheques"
    ],
    "correctIndex": 2,
    "explanation": "Most money exists as deposits recorded in bank accounts, not as physical cash."
   },
   {
    "question": "What does a bank do with most deposited money?",
    "choices": [
     "Lends it out",
     "Burns it",
     "Keeps all of it in a vault",
     "Sends it to the government"
    ],
    "correctIndex": 0,
    "explanation": "Banks hold a fraction as reserves and lend the rest, which is how lending creates new deposits."
   },
   {
    "question": "How do central banks influence lending?",
    "choices": [
     "By printing all loans",
     "By setting interest rates",
     "By closing banks daily",
     "By fixing shop prices"
    ],
    "correctIndex": 1,
    "explanation": "Higher or lower interest rates make borrowing more or less attractive, steering how much money is created."
   }
  ],
  "keyTerms": [
   {
    "term": "reserves",
    "definition": "The part of deposits a bank holds rather than lends."
   },
   {
    "term": "interest rate",
    "definition": "The price of borrowing money, as a percentage per year."
   }
  ]
 },
 {
  "topic": "behavioral-economics",
  "difficulty": "easy",
  "title": "Loss Aversion in Everyday Choices",
  "content": "Traditional economics assumed people weigh gains and losses evenly, but experiments tell a different story. Psychologists Daniel Kahneman and Amos Tversky found that losing something hurts roughly twice as much as gaining the same thing feels good. This is loss aversion. It explains why people hold on to falling shares, hoping to avoid realising a loss, and why free trials work: once you have a service, cancelling feels like losing it. Marketers use the effect by framing offers as avoiding a loss, such as a warning not to miss out on savings.",
  "questions": [
   {
    "question": "What is loss aversion?",
    "choices": [
     "Preferring to avoid losses over gaining equal amounts",
     "Never buying anything",
     "Enjoying risk",
     "Forgetting past losses"
    ],
    "correctIndex": 0,
    "explanation": "Losses feel about twice as strong as equal gains, so people work harder to avoid them."
   },
   {
    "question": "Who documented loss aversion in experiments?",
    "choices": [
     "Adam Smith and Karl Marx",
     "Isaac Newton",
     "Kahneman and Tversky",
     "John Maynard Keynes"
    ],
    "correctIndex": 2,
    "explanation": "Daniel Kahneman and Amos Tversky described loss aversion in their work on prospect theory."
   },
   {
    "question": "Why do free trials often turn into paid subscriptions?",
    "choices": [
     "Cancelling feels like losing something",
     "Trials are illegal to cancel",
     "People forget the price",
     "The service gets cheaper"
    ],
    "correctIndex": 0,
    "explanation": "Once people have a service, giving it up feels like a loss, so many keep paying."
   }
  ],
  "keyTerms": [
   {
    "term": "loss aversion",
    "definition": "The tendency to feel losses more strongly than equal gains."
   },
   {
    "term": "framing",
    "definition": "Presenting the same choice in different words to change decisions."
   }
  ]
 },
 {
  "topic": "trade",
  "difficulty": "easy",
  "title": "Comparative Advantage Explained Simply",
  "content": "Why trade if you could make everything yourself? David Ricardo's answer was comparative advantage. Imagine a lawyer who types faster than her assistant. She could do both jobs, but every hour spent typing is an hour not billed as a lawyer. It pays her to focus on law and let the assistant type, even though she is better at both. Countries are the same: each gains by specialising in what it gives up least to produce, then trading. Total output rises, and both sides can end up with more than they could make alone.",
  "questions": [
   {
    "question": "Whose idea is comparative advantage?",
    "choices": [
     "Adam Smith",
     "David Ricardo",
     "Milton Friedman",
     "Karl Marx"
    ],
    "correctIndex": 1,
    "explanation": "David Ricardo set out comparative advantage in 1817."
   },
   {
    "question": "Why should the fast-typing lawyer still hire a typist?",
    "choices": [
     "Typing is illegal for lawyers",
     "Her typing is slower",
     "Her time is worth more spent on law",
     "The typist is cheaper than a computer"
    ],
    "correctIndex": 2,
    "explanation": "Every hour she types costs her a billed legal hour, so specialising pays even though she types faster."
   },
   {
    "question": "What does a country specialise in under comparative advantage?",
    "choices": [
     "What it gives up least to produce",
     "Whatever it is best at overall",
     "Only raw materials",
     "Whatever its neighbours make"
    ],
    "correctIndex": 0,
    "explanation": "Specialisation follows the lowest opportunity cost, not absolute skill."
   }
  ],
  "keyTerms": [
   {
    "term": "comparative advantage",
    "definition": "Ability to produce something at a lower opportunity cost than others."
   },
   {
    "term": "opportunity cost",
    "definition": "What you give up by choosing one option over another."
   }
  ]
 },
 {
  "topic": "grammar",
  "difficulty": "easy",
  "title": "Active and Passive Voice",
  "content": "In the active voice, the subject of a sentence does the action: the committee approved the plan. In the passive voice, the subject receives the action: the plan was approved by the committee. Passive sentences use a form of the verb be plus a past participle, and they can drop the doer entirely: the plan was approved. That makes the passive useful when the doer is unknown or unimportant, as in scientific methods. It can also hide responsibility, as in mistakes were made. Most style guides recommend the active voice for clear, direct writing.",
  "questions": [
   {
    "question": "Which sentence is in the passive voice?",
    "choices": [
     "The dog chased the ball",
     "The ball was chased by the dog",
     "The dog runs fast",
     "The dog is happy"
    ],
    "correctIndex": 1,
    "explanation": "In the passive voice the subject, the ball, receives the action, formed with 'was' plus a past participle."
   },
   {
    "question": "When is the passive voice especially useful?",
    "choices": [
     "When the doer is unknown or unimportant",
     "When writing questions",
     "In every sentence",
     "When the verb is irregular"
    ],
    "correctIndex": 0,
    "explanation": "The passive lets you leave out the doer, which suits cases where the doer does not matter."
   },
   {
    "question": "Why is 'mistakes were made' criticised?",
    "choices": [
     "It is ungrammatical",
     "It is too long",
     "It hides who made the mistakes",
     "It uses the active voice"
    ],
    "correctIndex": 2,
    "explanation": "Dropping the doer lets the speaker avoid saying who was responsible."
   }
  ],
  "keyTerms": [
   {
    "term": "active voice",
    "definition": "A construction where the subject performs the action."
   },
   {
    "term": "past participle",
    "definition": "A verb form such as 'approved' used in passive and perfect tenses."
   }
  ]
 },
 {
  "topic": "etymology",
  "difficulty": "easy",
  "title": "Where English Words Come From",
  "content": "English is a borrower. Its core comes from Old English, a Germanic language, which gives us everyday words like house, bread and water. After the Norman Conquest of 1066, French became the language of the ruling class, and thousands of French words entered English, often for the same things in a grander register. That is why farm animals have English names, cow and pig, while their meat on the lord's table has French ones, beef and pork. Later, scholars borrowed heavily from Latin and Greek, giving science words such as telephone and biology.",
  "questions": [
   {
    "question": "What kind of language is Old English?",
    "choices": [
     "Germanic",
     "Romance",
     "Slavic",
     "Celtic"
    ],
    "correctIndex": 0,
    "explanation": "Old English is a Germanic language, the source of many everyday English words."
   },
   {
    "question": "Why is the meat called 'beef' while the animal is a 'cow'?",
    "choices": [
     "Beef is a Greek word",
     "French-speaking rulers named the meat they ate",
     "Cows were imported from France",
     "It is a spelling mistake"
    ],
    "correctIndex": 1,
    "explanation": "After 1066, Norman French rulers ate the meat, so French names like beef stuck to the food."
   },
   {
    "question": "Where does the word 'telephone' come from?",
    "choices": [
     "Old English",
     "Norse",
     "Arabic",
     "Greek roots"
    ],
    "correctIndex": 3,
    "explanation": "Telephone combines Greek tele, far, and phone, voice, a typical scholarly coinage."
   }
  ],
  "keyTerms": [
   {
    "term": "etymology",
    "definition": "The study of the origin and history of words."
   },
   {
    "term": "loanword",
    "definition": "A word adopted from another language."
   }
  ]
 },
 {
  "topic": "rhetoric",
  "difficulty": "easy",
  "title": "Ethos, Pathos and Logos",
  "content": "More than two thousand years ago Aristotle described three ways a speaker persuades an audience. Ethos appeals to the speaker's character and credibility: listeners trust a doctor talking about medicine. Pathos appeals to emotion, for example a charity advert showing one child's story rather than statistics. Logos appeals to reason, with evidence, numbers and logical argument. Strong persuasion usually blends all three. A good closing argument in court might establish the lawyer's honesty, lay out the facts clearly, and end by reminding the jury what is at stake for real people.",
  "questions": [
   {
    "question": "Which appeal relies on the speaker's credibility?",
    "choices": [
     "Logos",
     "Pathos",
     "Ethos",
     "Kairos"
    ],
    "correctIndex": 2,
    "explanation": "Ethos persuades through the speaker's character, expertise and trustworthiness."
   },
   {
    "question": "A charity advert tells one child's moving story. Which appeal is this?",
    "choices": [
     "Pathos",
     "Logos",
     "Ethos",
     "None of them"
    ],
    "correctIndex": 0,
    "explanation": "Stirring the audience's emotions is pathos."
   },
   {
    "question": "Who first described these three appeals?",
    "choices": [
     "Cicero",
     "Shakespeare",
     "Plato",
     "Aristotle"
    ],
    "correctIndex": 3,
    "explanation": "Aristotle set out ethos, pathos and logos in his Rhetoric."
   }
  ],
  "keyTerms": [
   {
    "term": "ethos",
    "definition": "Persuasion through the speaker's credibility."
   },
   {
    "term": "logos",
    "definition": "Persuasion through logic and evidence."
   }
  ]
 },
 {
  "topic": "poetry",
  "difficulty": "easy",
  "title": "How Meter Shapes a Poem",
  "content": "Meter is the rhythm of stressed and unstressed syllables in a line of verse. The basic unit is a foot. An iamb is one unstressed syllable followed by a stressed one, as in the word today. Five iambs in a row make iambic pentameter, the line Shakespeare used most: shall I compare thee to a summer's day. Reading it aloud, you hear the beat da-DUM five times. Poets often break the pattern on purpose, placing a stress where the ear does not expect it, so that an important word jumps out at the reader.",
  "questions": [
   {
    "question": "What is an iamb?",
    "choices": [
     "Two stressed syllables",
     "An unstressed syllable followed by a stressed one",
     "A stressed syllable followed by two unstressed",
     "A rhyming pair of lines"
    ],
    "correctIndex": 1,
    "explanation": "An iamb is da-DUM: one unstressed then one stressed syllable, as in 'today'."
   },
   {
    "question": "How many feet are in a line of pentameter?",
    "choices": [
     "Three",
     "Four",
     "Five",
     "Six"
    ],
    "correctIndex": 2,
    "explanation": "Penta means five, so pentameter has five feet per line."
   },
   {
    "question": "Why might a poet break the regular meter?",
    "choices": [
     "To make an important word stand out",
     "Because of a typing error",
     "To make the poem shorter",
     "Meter cannot be broken"
    ],
    "correctIndex": 0,
    "explanation": "An unexpected stress draws attention, so poets vary meter for emphasis."
   }
  ],
  "keyTerms": [
   {
    "term": "meter",
    "definition": "The pattern of stressed and unstressed syllables in verse."
   },
   {
    "term": "iambic pentameter",
    "definition": "A line of five iambs."
   }
  ]
 }
]$lessons$::jsonb) with ordinality as x(e, n)
  join public.topics t on t.slug = x.e ->> 'topic';

insert into auth.users (id, email, raw_app_meta_data) values
  ('00000000-0000-4000-8000-000000000001', 'learner@example.com', '{"provider":"local"}'),
  ('00000000-0000-4000-8000-000000000002', 'pro@example.com', '{"provider":"local"}'),
  ('00000000-0000-4000-8000-000000000003', 'admin@example.com', '{"provider":"local"}'),
  ('00000000-0000-4000-8000-000000000004', 'nearly@example.com', '{"provider":"local"}')
on conflict do nothing;

insert into public.profiles (id, email, display_name, tier, role) values
  ('00000000-0000-4000-8000-000000000001', 'learner@example.com', 'Lena Learner', 'free', 'learner'),
  ('00000000-0000-4000-8000-000000000002', 'pro@example.com', 'Priya Pro', 'pro', 'learner'),
  ('00000000-0000-4000-8000-000000000003', 'admin@example.com', 'Ada Admin', 'admin', 'admin'),
  ('00000000-0000-4000-8000-000000000004', 'nearly@example.com', 'Nico Nearly', 'free', 'learner')
on conflict (id) do nothing;

insert into public.topic_follows (user_id, topic_id, difficulty)
select p.id, t.id, 'easy'
  from (values
  ('learner@example.com', 'cell-biology'),
  ('learner@example.com', 'probability'),
  ('learner@example.com', 'algorithms'),
  ('learner@example.com', 'ancient-rome'),
  ('pro@example.com', 'astronomy'),
  ('pro@example.com', 'chemistry-basics'),
  ('pro@example.com', 'databases'),
  ('pro@example.com', 'markets'),
  ('admin@example.com', 'security'),
  ('admin@example.com', 'statistics'),
  ('nearly@example.com', 'poetry'),
  ('nearly@example.com', 'grammar'),
  ('nearly@example.com', 'etymology')
  ) as v(email, topic_slug)
  join public.profiles p on p.email = v.email
  join public.topics t on t.slug = v.topic_slug;

insert into public.playlists (user_id, title, description, created_at, updated_at)
select p.id, v.title, v.description, now() - interval '7 days' + v.k * interval '1 hour', now() - interval '7 days' + v.k * interval '1 hour'
  from (values
  ('learner@example.com', 'Biology starters', 'How cells get energy, build proteins and guard their borders.', 0),
  ('learner@example.com', 'Thinking in numbers', 'Chance and how algorithms scale.', 1),
  ('pro@example.com', 'Night sky', 'Moons, stars and motion.', 0),
  ('pro@example.com', 'How systems work', 'Everyday infrastructure, explained.', 1),
  ('admin@example.com', 'Persuasion toolkit', null, 0),
  ('admin@example.com', 'Empires and engines', 'Rome and the steam age.', 1),
  ('nearly@example.com', 'Words and verse', 'Where words come from and how poems move.', 0),
  ('nearly@example.com', 'Explorers'' toolkit', 'Navigation, geometry and big-picture history.', 1)
  ) as v(email, title, description, k)
  join public.profiles p on p.email = v.email;

insert into public.playlist_lessons (playlist_id, lesson_id, position)
select pl.id, l.id, v.position
  from (values
  ('learner@example.com', 'Biology starters', 'Why Cells Need Membranes', 0),
  ('learner@example.com', 'Biology starters', 'Mitochondria Power the Cell', 1),
  ('learner@example.com', 'Biology starters', 'How DNA Becomes Protein', 2),
  ('learner@example.com', 'Thinking in numbers', 'Probability as Counting Outcomes', 0),
  ('learner@example.com', 'Thinking in numbers', 'Independent Events Multiply Together', 1),
  ('learner@example.com', 'Thinking in numbers', 'Binary Search Halves the Problem', 2),
  ('learner@example.com', 'Thinking in numbers', 'Big O Describes Growth', 3),
  ('pro@example.com', 'Night sky', 'Why the Moon Has Phases', 0),
  ('pro@example.com', 'Night sky', 'How Stars Shine by Fusion', 1),
  ('pro@example.com', 'Night sky', 'Newton''s First Law Explained', 2),
  ('pro@example.com', 'How systems work', 'Why Databases Use Indexes', 0),
  ('pro@example.com', 'How systems work', 'What Happens When You Visit a Website', 1),
  ('pro@example.com', 'How systems work', 'Why Passwords Are Hashed', 2),
  ('pro@example.com', 'How systems work', 'How Banks Create Money', 3),
  ('admin@example.com', 'Persuasion toolkit', 'Ethos, Pathos and Logos', 0),
  ('admin@example.com', 'Persuasion toolkit', 'Loss Aversion in Everyday Choices', 1),
  ('admin@example.com', 'Persuasion toolkit', 'Active and Passive Voice', 2),
  ('admin@example.com', 'Empires and engines', 'From Roman Republic to Empire', 0),
  ('admin@example.com', 'Empires and engines', 'How Roman Aqueducts Carried Water', 1),
  ('admin@example.com', 'Empires and engines', 'Steam Power Changes Industry', 2),
  ('nearly@example.com', 'Words and verse', 'How Meter Shapes a Poem', 0),
  ('nearly@example.com', 'Words and verse', 'Where English Words Come From', 1),
  ('nearly@example.com', 'Words and verse', 'Active and Passive Voice', 2),
  ('nearly@example.com', 'Explorers'' toolkit', 'Navigating with Stars and Compass', 0),
  ('nearly@example.com', 'Explorers'' toolkit', 'Pythagoras and Right Triangles', 1),
  ('nearly@example.com', 'Explorers'' toolkit', 'What the Cold War Was', 2),
  ('nearly@example.com', 'Explorers'' toolkit', 'Comparative Advantage Explained Simply', 3),
  ('nearly@example.com', 'Explorers'' toolkit', 'Supply, Demand and Prices', 4)
  ) as v(email, playlist_title, lesson_title, position)
  join public.profiles p on p.email = v.email
  join public.playlists pl on pl.user_id = p.id and pl.title = v.playlist_title
  join public.lessons l on l.title = v.lesson_title and l.source = 'seed';

-- Fill each demo feed from the library, exactly as the app does (two pending lessons per topic).
select public.fyp_fill_from_library(p.id, 2) from public.profiles p where p.email like '%@example.com';

-- nearly@example.com has used 19 of 20 lessons today (UTC); tests reset it with seed_quota_usage() (supabase/testing/test_helpers.sql).
insert into public.quota_days (user_id, day, used, reserved)
select p.id, (now() at time zone 'UTC')::date, 19, 0 from public.profiles p where p.email = 'nearly@example.com'
on conflict (user_id, day) do update set used = excluded.used, reserved = 0;
