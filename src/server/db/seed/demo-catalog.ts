export interface DemoDepartment {
  code: string;
  name: string;
  nameEs: string;
  email: string;
}

export interface DemoCategory {
  code: string;
  nameEn: string;
  nameEs: string;
  descriptionEn: string;
  descriptionEs: string;
  departmentCode: string;
  slaBusinessDays: number;
  standardResponseEn: string;
  standardResponseEs: string;
  open311ServiceCode: string;
  keywords: string[];
}

export const DEMO_DEPARTMENTS: DemoDepartment[] = [
  {
    code: "STREETS",
    name: "Street Maintenance",
    nameEs: "Mantenimiento de Calles",
    email: "streets@city.example",
  },
  { code: "WATER", name: "Water Services", nameEs: "Servicios de Agua", email: "water@city.example" },
  {
    code: "SOLID_WASTE",
    name: "Solid Waste and Recycling",
    nameEs: "Residuos Sólidos y Reciclaje",
    email: "solidwaste@city.example",
  },
  {
    code: "PARKS",
    name: "Parks and Recreation",
    nameEs: "Parques y Recreación",
    email: "parks@city.example",
  },
  { code: "CODE", name: "Code Compliance", nameEs: "Cumplimiento de Códigos", email: "code@city.example" },
  {
    code: "POLICE_NONEMERG",
    name: "Police Non-Emergency Services",
    nameEs: "Servicios Policiales No Urgentes",
    email: "police-nonemergency@city.example",
  },
  {
    code: "TRANSPORTATION",
    name: "Transportation and Traffic Engineering",
    nameEs: "Transporte e Ingeniería de Tránsito",
    email: "transportation@city.example",
  },
  {
    code: "CMO",
    name: "City Manager's Office",
    nameEs: "Oficina del Administrador Municipal",
    email: "citymanager@city.example",
  },
  {
    code: "PLANNING",
    name: "Planning and Development Services",
    nameEs: "Servicios de Planificación y Desarrollo",
    email: "planning@city.example",
  },
  { code: "ANIMAL", name: "Animal Services", nameEs: "Servicios de Animales", email: "animals@city.example" },
  { code: "LIBRARY", name: "Public Library", nameEs: "Biblioteca Pública", email: "library@city.example" },
  {
    code: "HOUSING",
    name: "Housing and Community Development",
    nameEs: "Vivienda y Desarrollo Comunitario",
    email: "housing@city.example",
  },
  {
    code: "STORMWATER",
    name: "Stormwater Management",
    nameEs: "Manejo de Aguas Pluviales",
    email: "stormwater@city.example",
  },
  { code: "TRANSIT", name: "Public Transit", nameEs: "Transporte Público", email: "transit@city.example" },
];

export const DEMO_CATEGORIES: DemoCategory[] = [
  {
    code: "pothole",
    nameEn: "Pothole",
    nameEs: "Bache",
    descriptionEn: "A pothole or broken pavement in a city street, alley or bike lane.",
    descriptionEs: "Un bache o pavimento roto en una calle, callejón o ciclovía de la ciudad.",
    departmentCode: "STREETS",
    slaBusinessDays: 5,
    standardResponseEn:
      "Thank you for reporting this pothole (reference {referenceNumber}). A Street Maintenance crew will inspect the location and make a repair, usually within five business days. Large or deep failures may first receive a temporary patch until a permanent repair can be scheduled.",
    standardResponseEs:
      "Gracias por reportar este bache (referencia {referenceNumber}). Una cuadrilla de Mantenimiento de Calles inspeccionará el lugar y hará la reparación, normalmente en un plazo de cinco días hábiles. Los daños grandes o profundos pueden recibir primero un parche temporal hasta que se programe una reparación permanente.",
    open311ServiceCode: "001",
    keywords: ["pothole", "hole", "pavement", "road", "asphalt", "bache", "hoyo", "pavimento"],
  },
  {
    code: "streetlight-out",
    nameEn: "Streetlight Out",
    nameEs: "Alumbrado público apagado",
    descriptionEn: "A streetlight that is out, flickering, stays on during the day or has a damaged pole.",
    descriptionEs:
      "Una luz de la calle que está apagada, parpadea, permanece encendida de día o tiene el poste dañado.",
    departmentCode: "STREETS",
    slaBusinessDays: 5,
    standardResponseEn:
      "Thank you for letting us know about the streetlight (reference {referenceNumber}). A technician will check the light and repair it, usually within five business days. If the pole is knocked down or wires are exposed, please call 911 right away.",
    standardResponseEs:
      "Gracias por informarnos sobre el alumbrado público (referencia {referenceNumber}). Un técnico revisará la luz y la reparará, normalmente en un plazo de cinco días hábiles. Si el poste está caído o hay cables expuestos, llame al 911 de inmediato.",
    open311ServiceCode: "002",
    keywords: ["streetlight", "light", "lamp", "dark", "pole", "luz", "alumbrado", "poste", "farola"],
  },
  {
    code: "graffiti",
    nameEn: "Graffiti on Public Property",
    nameEs: "Grafiti en propiedad pública",
    descriptionEn:
      "Graffiti on city walls, bridges, signs, utility boxes, sidewalks or other public property.",
    descriptionEs:
      "Grafiti en muros de la ciudad, puentes, señales, cajas de servicios, banquetas u otra propiedad pública.",
    departmentCode: "STREETS",
    slaBusinessDays: 3,
    standardResponseEn:
      "Thank you for reporting graffiti (reference {referenceNumber}). Our graffiti removal crew will paint over or remove it from public property, usually within three business days. Offensive or hateful graffiti is removed first.",
    standardResponseEs:
      "Gracias por reportar el grafiti (referencia {referenceNumber}). Nuestra cuadrilla de eliminación de grafiti lo cubrirá con pintura o lo quitará de la propiedad pública, normalmente en un plazo de tres días hábiles. El grafiti ofensivo o de odio se elimina primero.",
    open311ServiceCode: "003",
    keywords: ["graffiti", "tagging", "spray", "paint", "vandalism", "grafiti", "pintura", "vandalismo"],
  },
  {
    code: "missed-trash",
    nameEn: "Missed Trash Pickup",
    nameEs: "Recolección de basura no realizada",
    descriptionEn: "The black trash container was out on the scheduled day but was not emptied.",
    descriptionEs: "El contenedor negro de basura estaba afuera el día programado, pero no se vació.",
    departmentCode: "SOLID_WASTE",
    slaBusinessDays: 2,
    standardResponseEn:
      "We are sorry your trash was missed (reference {referenceNumber}). A truck will return to collect it within two business days. Please leave the container at the curb with the lid closed and at least four feet from cars, mailboxes and other obstacles.",
    standardResponseEs:
      "Lamentamos que no se haya recogido su basura (referencia {referenceNumber}). Un camión regresará a recogerla en un plazo de dos días hábiles. Deje el contenedor en la orilla de la calle con la tapa cerrada y al menos a cuatro pies de autos, buzones y otros obstáculos.",
    open311ServiceCode: "004",
    keywords: ["trash", "garbage", "missed", "pickup", "bin", "basura", "recolección", "contenedor"],
  },
  {
    code: "missed-recycling",
    nameEn: "Missed Recycling Pickup",
    nameEs: "Recolección de reciclaje no realizada",
    descriptionEn: "The blue recycling container was out on the scheduled day but was not emptied.",
    descriptionEs: "El contenedor azul de reciclaje estaba afuera el día programado, pero no se vació.",
    departmentCode: "SOLID_WASTE",
    slaBusinessDays: 2,
    standardResponseEn:
      "We are sorry your recycling was missed (reference {referenceNumber}). A truck will return within two business days. If the driver left a tag on your container, it may have held items we cannot recycle, such as plastic bags or food waste; please remove them before the return visit.",
    standardResponseEs:
      "Lamentamos que no se haya recogido su reciclaje (referencia {referenceNumber}). Un camión regresará en un plazo de dos días hábiles. Si el conductor dejó una etiqueta en su contenedor, es posible que tuviera artículos que no podemos reciclar, como bolsas de plástico o restos de comida; por favor retírelos antes de la nueva visita.",
    open311ServiceCode: "005",
    keywords: ["recycling", "recycle", "blue bin", "missed", "reciclaje", "reciclar", "azul"],
  },
  {
    code: "bulk-trash",
    nameEn: "Bulk Trash Collection",
    nameEs: "Recolección de basura voluminosa",
    descriptionEn:
      "Questions about or requests for collection of furniture, appliances, yard waste and other large items.",
    descriptionEs:
      "Preguntas o solicitudes de recolección de muebles, electrodomésticos, desechos de jardín y otros artículos grandes.",
    departmentCode: "SOLID_WASTE",
    slaBusinessDays: 5,
    standardResponseEn:
      "Thank you for your bulk trash request (reference {referenceNumber}). Please place items at the curb no earlier than the weekend before your scheduled bulk week, away from walls, fences and overhead wires. Appliances containing refrigerant need a separate appointment, which we will confirm within five business days.",
    standardResponseEs:
      "Gracias por su solicitud de recolección de basura voluminosa (referencia {referenceNumber}). Coloque los artículos en la orilla de la calle no antes del fin de semana previo a su semana programada, lejos de muros, cercas y cables aéreos. Los electrodomésticos con refrigerante requieren una cita aparte, que confirmaremos en un plazo de cinco días hábiles.",
    open311ServiceCode: "006",
    keywords: ["bulk", "furniture", "couch", "mattress", "appliance", "muebles", "colchón", "voluminosa"],
  },
  {
    code: "water-leak",
    nameEn: "Water Leak",
    nameEs: "Fuga de agua",
    descriptionEn:
      "Water leaking from a main, meter, hydrant or pipe in the street, sidewalk or right-of-way.",
    descriptionEs:
      "Agua que sale de una tubería principal, medidor, hidrante o tubo en la calle, banqueta o vía pública.",
    departmentCode: "WATER",
    slaBusinessDays: 2,
    standardResponseEn:
      "Thank you for reporting a possible water leak (reference {referenceNumber}). A Water Services crew will investigate within two business days, and sooner if water is flowing into the street. If the leak is on the customer side of the meter, we will let you know what repairs are the property owner's responsibility.",
    standardResponseEs:
      "Gracias por reportar una posible fuga de agua (referencia {referenceNumber}). Una cuadrilla de Servicios de Agua investigará en un plazo de dos días hábiles, y antes si el agua corre hacia la calle. Si la fuga está del lado del cliente del medidor, le indicaremos qué reparaciones corresponden al propietario.",
    open311ServiceCode: "007",
    keywords: ["leak", "water", "main", "hydrant", "meter", "flooding", "fuga", "agua", "tubería"],
  },
  {
    code: "low-water-pressure",
    nameEn: "No Water or Low Pressure",
    nameEs: "Sin agua o baja presión",
    descriptionEn: "No water service at a property, or water pressure that is much lower than usual.",
    descriptionEs: "Una propiedad sin servicio de agua o con una presión mucho más baja de lo normal.",
    departmentCode: "WATER",
    slaBusinessDays: 2,
    standardResponseEn:
      "Thank you for contacting Water Services (reference {referenceNumber}). A technician will check the meter and the main serving your address within two business days. Please also check whether your neighbors are affected and whether a pressure regulator or shut-off valve on your property has been closed.",
    standardResponseEs:
      "Gracias por comunicarse con Servicios de Agua (referencia {referenceNumber}). Un técnico revisará el medidor y la tubería principal que abastece su domicilio en un plazo de dos días hábiles. Por favor verifique también si sus vecinos están afectados y si se cerró algún regulador de presión o válvula de paso en su propiedad.",
    open311ServiceCode: "008",
    keywords: ["no water", "pressure", "low pressure", "outage", "tap", "sin agua", "presión", "llave"],
  },
  {
    code: "sewer-backup",
    nameEn: "Sewer Backup",
    nameEs: "Desbordamiento de drenaje",
    descriptionEn: "Sewage backing up into a home or overflowing from a manhole or cleanout.",
    descriptionEs: "Aguas negras que regresan a una vivienda o se desbordan de una alcantarilla o registro.",
    departmentCode: "WATER",
    slaBusinessDays: 2,
    standardResponseEn:
      "Thank you for reporting a sewer problem (reference {referenceNumber}). A wastewater crew will inspect the city sewer line serving your address within two business days. If the city line is clear, the blockage is likely in the private service line and a licensed plumber will be needed.",
    standardResponseEs:
      "Gracias por reportar un problema de drenaje (referencia {referenceNumber}). Una cuadrilla de aguas residuales inspeccionará la línea de drenaje de la ciudad que da servicio a su domicilio en un plazo de dos días hábiles. Si la línea de la ciudad está libre, es probable que la obstrucción esté en la línea privada y se necesitará un plomero con licencia.",
    open311ServiceCode: "009",
    keywords: ["sewer", "sewage", "backup", "manhole", "smell", "drenaje", "aguas negras", "alcantarilla"],
  },
  {
    code: "water-bill",
    nameEn: "Water Bill Question",
    nameEs: "Pregunta sobre el recibo de agua",
    descriptionEn:
      "Questions about a utility bill, high usage, payment arrangements or starting and stopping service.",
    descriptionEs:
      "Preguntas sobre el recibo de servicios, consumo alto, arreglos de pago o alta y baja del servicio.",
    departmentCode: "WATER",
    slaBusinessDays: 5,
    standardResponseEn:
      "Thank you for your question about your utility bill (reference {referenceNumber}). A customer service representative will review your account and contact you within five business days. If your usage looks unusually high, we can schedule a meter re-read and share tips for finding leaks at home.",
    standardResponseEs:
      "Gracias por su pregunta sobre su recibo de servicios (referencia {referenceNumber}). Un representante de servicio al cliente revisará su cuenta y se comunicará con usted en un plazo de cinco días hábiles. Si su consumo parece inusualmente alto, podemos programar una nueva lectura del medidor y darle consejos para detectar fugas en casa.",
    open311ServiceCode: "010",
    keywords: ["bill", "billing", "payment", "charge", "account", "recibo", "factura", "pago", "cobro"],
  },
  {
    code: "water-quality",
    nameEn: "Water Quality Concern",
    nameEs: "Calidad del agua",
    descriptionEn: "Tap water that is discolored, cloudy, or has an unusual taste or odor.",
    descriptionEs: "Agua de la llave que sale de color, turbia o con un sabor u olor inusual.",
    departmentCode: "WATER",
    slaBusinessDays: 2,
    standardResponseEn:
      "Thank you for reporting a water quality concern (reference {referenceNumber}). Our water quality staff will contact you within two business days and may collect a sample at your tap. Discolored water after nearby main work usually clears by running the cold water tap for a few minutes.",
    standardResponseEs:
      "Gracias por reportar su inquietud sobre la calidad del agua (referencia {referenceNumber}). Nuestro personal de calidad del agua se comunicará con usted en un plazo de dos días hábiles y podría tomar una muestra en su llave. El agua de color que aparece después de trabajos cercanos en la tubería normalmente se aclara dejando correr el agua fría unos minutos.",
    open311ServiceCode: "011",
    keywords: ["water quality", "brown", "cloudy", "taste", "odor", "color", "turbia", "sabor", "olor"],
  },
  {
    code: "water-waste",
    nameEn: "Water Waste",
    nameEs: "Desperdicio de agua",
    descriptionEn: "Irrigation running onto streets, broken sprinklers or watering during restricted hours.",
    descriptionEs: "Riego que corre hacia la calle, aspersores rotos o riego durante horarios no permitidos.",
    departmentCode: "WATER",
    slaBusinessDays: 10,
    standardResponseEn:
      "Thank you for helping us conserve water (reference {referenceNumber}). A water conservation specialist will visit the property and contact the owner or landscaper about the problem within ten business days. First reports receive an educational notice and repeat problems may result in a citation.",
    standardResponseEs:
      "Gracias por ayudarnos a conservar el agua (referencia {referenceNumber}). Un especialista en conservación de agua visitará la propiedad y se comunicará con el propietario o el jardinero sobre el problema en un plazo de diez días hábiles. Los primeros reportes reciben un aviso informativo y los problemas repetidos pueden resultar en una multa.",
    open311ServiceCode: "012",
    keywords: ["sprinkler", "irrigation", "runoff", "waste", "watering", "riego", "aspersor", "desperdicio"],
  },
  {
    code: "park-maintenance",
    nameEn: "Park Maintenance",
    nameEs: "Mantenimiento de parques",
    descriptionEn:
      "Broken irrigation, restrooms, lights, benches, ramadas, sports courts or litter in a city park.",
    descriptionEs:
      "Riego, baños, luces, bancas, ramadas, canchas deportivas dañadas o basura en un parque de la ciudad.",
    departmentCode: "PARKS",
    slaBusinessDays: 5,
    standardResponseEn:
      "Thank you for helping us care for our parks (reference {referenceNumber}). The park maintenance crew for that area will inspect the problem and schedule the repair within five business days. Items that are a safety hazard will be closed off until they are fixed.",
    standardResponseEs:
      "Gracias por ayudarnos a cuidar nuestros parques (referencia {referenceNumber}). La cuadrilla de mantenimiento de parques de esa zona inspeccionará el problema y programará la reparación en un plazo de cinco días hábiles. Lo que represente un riesgo para la seguridad se cerrará hasta que se repare.",
    open311ServiceCode: "013",
    keywords: ["park", "restroom", "bench", "ramada", "court", "grass", "parque", "baño", "cancha", "banca"],
  },
  {
    code: "playground-damage",
    nameEn: "Playground Damage",
    nameEs: "Juegos infantiles dañados",
    descriptionEn: "Broken, unsafe or vandalized playground equipment, shade structures or surfacing.",
    descriptionEs: "Juegos infantiles, estructuras de sombra o superficies rotas, inseguras o vandalizadas.",
    departmentCode: "PARKS",
    slaBusinessDays: 3,
    standardResponseEn:
      "Thank you for reporting damaged playground equipment (reference {referenceNumber}). A certified playground inspector will review it within three business days and close off any unsafe equipment until it is repaired. Replacement parts sometimes take several weeks to arrive, and we will post a notice at the playground if so.",
    standardResponseEs:
      "Gracias por reportar los juegos infantiles dañados (referencia {referenceNumber}). Un inspector certificado de áreas de juego los revisará en un plazo de tres días hábiles y cerrará cualquier equipo inseguro hasta que se repare. A veces las piezas de repuesto tardan varias semanas en llegar y, en ese caso, pondremos un aviso en el área de juegos.",
    open311ServiceCode: "014",
    keywords: ["playground", "slide", "swing", "shade", "equipment", "juegos", "columpio", "resbaladilla"],
  },
  {
    code: "park-reservation",
    nameEn: "Park and Ramada Reservation",
    nameEs: "Reservación de parques y ramadas",
    descriptionEn: "Questions about reserving ramadas, sports fields or recreation rooms, and related fees.",
    descriptionEs:
      "Preguntas sobre la reservación de ramadas, campos deportivos o salones recreativos, y sus tarifas.",
    departmentCode: "PARKS",
    slaBusinessDays: 5,
    standardResponseEn:
      "Thank you for your interest in reserving a city facility (reference {referenceNumber}). Our reservations desk will contact you within five business days about availability, fees and any permits needed. Ramadas are available on a first-come, first-served basis when not reserved.",
    standardResponseEs:
      "Gracias por su interés en reservar una instalación de la ciudad (referencia {referenceNumber}). Nuestra oficina de reservaciones se comunicará con usted en un plazo de cinco días hábiles sobre la disponibilidad, las tarifas y los permisos necesarios. Las ramadas sin reservación se ocupan por orden de llegada.",
    open311ServiceCode: "015",
    keywords: ["reservation", "reserve", "ramada", "field", "party", "reservación", "reservar", "fiesta"],
  },
  {
    code: "tree-trimming",
    nameEn: "Tree Trimming",
    nameEs: "Poda de árboles",
    descriptionEn:
      "Trees in a park, median or right-of-way that block signs, sidewalks or streetlights or need pruning.",
    descriptionEs:
      "Árboles en un parque, camellón o vía pública que tapan señales, banquetas o luces, o que necesitan poda.",
    departmentCode: "PARKS",
    slaBusinessDays: 10,
    standardResponseEn:
      "Thank you for your tree trimming request (reference {referenceNumber}). The city forestry crew will inspect the tree within ten business days and schedule any needed pruning. Trees on private property are the owner's responsibility, including branches that overhang the sidewalk.",
    standardResponseEs:
      "Gracias por su solicitud de poda de árboles (referencia {referenceNumber}). La cuadrilla forestal de la ciudad inspeccionará el árbol en un plazo de diez días hábiles y programará la poda necesaria. Los árboles en propiedad privada son responsabilidad del propietario, incluidas las ramas que cuelgan sobre la banqueta.",
    open311ServiceCode: "016",
    keywords: ["tree", "trim", "branch", "prune", "overgrown", "árbol", "poda", "rama"],
  },
  {
    code: "fallen-tree",
    nameEn: "Fallen Tree or Limb",
    nameEs: "Árbol o rama caída",
    descriptionEn: "A tree or large branch that has fallen onto a street, sidewalk or other public area.",
    descriptionEs: "Un árbol o una rama grande que cayó sobre una calle, banqueta u otra área pública.",
    departmentCode: "STREETS",
    slaBusinessDays: 2,
    standardResponseEn:
      "Thank you for reporting a fallen tree (reference {referenceNumber}). A crew will clear anything blocking the street or sidewalk within two business days, and the same day when traffic is blocked. If the tree is touching power lines, please stay away and call the electric utility.",
    standardResponseEs:
      "Gracias por reportar el árbol caído (referencia {referenceNumber}). Una cuadrilla retirará lo que bloquee la calle o la banqueta en un plazo de dos días hábiles, y el mismo día si está bloqueando el tráfico. Si el árbol toca cables eléctricos, manténgase alejado y llame a la compañía de electricidad.",
    open311ServiceCode: "017",
    keywords: ["fallen tree", "limb", "branch", "storm", "blocking", "árbol caído", "rama", "tormenta"],
  },
  {
    code: "sidewalk-repair",
    nameEn: "Sidewalk Repair",
    nameEs: "Reparación de banquetas",
    descriptionEn: "Cracked, raised or missing sidewalk, curb or wheelchair ramp that is a tripping hazard.",
    descriptionEs:
      "Banqueta, bordillo o rampa para silla de ruedas agrietada, levantada o faltante que puede causar caídas.",
    departmentCode: "STREETS",
    slaBusinessDays: 10,
    standardResponseEn:
      "Thank you for reporting the sidewalk problem (reference {referenceNumber}). An inspector will evaluate the location within ten business days and mark severe hazards right away. Repairs are then scheduled by priority, with locations near schools, bus stops and accessibility needs first.",
    standardResponseEs:
      "Gracias por reportar el problema de la banqueta (referencia {referenceNumber}). Un inspector evaluará el lugar en un plazo de diez días hábiles y señalará de inmediato los riesgos graves. Después, las reparaciones se programan por prioridad, comenzando por lugares cercanos a escuelas, paradas de autobús y necesidades de accesibilidad.",
    open311ServiceCode: "018",
    keywords: ["sidewalk", "curb", "crack", "trip", "ramp", "banqueta", "acera", "bordillo", "rampa"],
  },
  {
    code: "street-sweeping",
    nameEn: "Street Sweeping",
    nameEs: "Barrido de calles",
    descriptionEn: "Requests to sweep dirt, gravel, leaves or debris from a city street or bike lane.",
    descriptionEs:
      "Solicitudes para barrer tierra, grava, hojas o escombros de una calle o ciclovía de la ciudad.",
    departmentCode: "STREETS",
    slaBusinessDays: 5,
    standardResponseEn:
      "Thank you for your street sweeping request (reference {referenceNumber}). A sweeper will be sent to the location within five business days. Residential streets are also swept on a regular monthly schedule, and moving cars off the street on sweeping day helps us do a better job.",
    standardResponseEs:
      "Gracias por su solicitud de barrido de calles (referencia {referenceNumber}). Enviaremos una barredora al lugar en un plazo de cinco días hábiles. Las calles residenciales también se barren con un calendario mensual, y retirar los autos de la calle el día de barrido nos ayuda a hacer un mejor trabajo.",
    open311ServiceCode: "019",
    keywords: ["sweep", "sweeping", "debris", "gravel", "dirt", "leaves", "barrido", "barrer", "escombros"],
  },
  {
    code: "dead-animal",
    nameEn: "Dead Animal Removal",
    nameEs: "Retiro de animales muertos",
    descriptionEn: "A dead animal on a street, sidewalk, alley or other public area.",
    descriptionEs: "Un animal muerto en una calle, banqueta, callejón u otra área pública.",
    departmentCode: "SOLID_WASTE",
    slaBusinessDays: 2,
    standardResponseEn:
      "Thank you for reporting this (reference {referenceNumber}). A crew will remove the animal from the public area within two business days. For a dead animal on private property, you may place it double-bagged in your trash container for regular collection.",
    standardResponseEs:
      "Gracias por reportarlo (referencia {referenceNumber}). Una cuadrilla retirará al animal del área pública en un plazo de dos días hábiles. Si el animal muerto está en propiedad privada, puede colocarlo en doble bolsa dentro de su contenedor de basura para la recolección regular.",
    open311ServiceCode: "020",
    keywords: ["dead animal", "carcass", "roadkill", "dead dog", "dead cat", "animal muerto", "cadáver"],
  },
  {
    code: "illegal-dumping",
    nameEn: "Illegal Dumping",
    nameEs: "Tiradero ilegal",
    descriptionEn:
      "Trash, furniture, tires or construction debris dumped in an alley, wash, vacant lot or street.",
    descriptionEs:
      "Basura, muebles, llantas o escombros de construcción tirados en un callejón, arroyo, lote baldío o calle.",
    departmentCode: "SOLID_WASTE",
    slaBusinessDays: 5,
    standardResponseEn:
      "Thank you for reporting illegal dumping (reference {referenceNumber}). A crew will remove the material from public property within five business days. If you saw who dumped it, a description, license plate or photo helps us follow up with enforcement.",
    standardResponseEs:
      "Gracias por reportar el tiradero ilegal (referencia {referenceNumber}). Una cuadrilla retirará el material de la propiedad pública en un plazo de cinco días hábiles. Si vio quién lo tiró, una descripción, el número de placa o una foto nos ayuda a dar seguimiento con las autoridades.",
    open311ServiceCode: "021",
    keywords: ["dumping", "dumped", "debris", "tires", "alley", "tiradero", "llantas", "escombros"],
  },
  {
    code: "damaged-container",
    nameEn: "Damaged or Missing Container",
    nameEs: "Contenedor dañado o perdido",
    descriptionEn:
      "A trash or recycling container that is cracked, missing wheels or lid, stolen or never delivered.",
    descriptionEs:
      "Un contenedor de basura o reciclaje agrietado, sin ruedas o tapa, robado o que nunca se entregó.",
    departmentCode: "SOLID_WASTE",
    slaBusinessDays: 5,
    standardResponseEn:
      "Thank you for your container request (reference {referenceNumber}). We will repair or replace the container within five business days. Please leave the damaged container at the curb so the crew can exchange it.",
    standardResponseEs:
      "Gracias por su solicitud sobre el contenedor (referencia {referenceNumber}). Repararemos o reemplazaremos el contenedor en un plazo de cinco días hábiles. Deje el contenedor dañado en la orilla de la calle para que la cuadrilla pueda cambiarlo.",
    open311ServiceCode: "022",
    keywords: ["container", "bin", "can", "lid", "wheel", "broken", "contenedor", "bote", "tapa"],
  },
  {
    code: "code-violation",
    nameEn: "Property Code Violation",
    nameEs: "Infracción del código de propiedad",
    descriptionEn:
      "Overgrown weeds, junk, inoperable vehicles, outdoor storage or unsafe conditions on private property.",
    descriptionEs:
      "Hierba crecida, chatarra, vehículos inservibles, almacenamiento al aire libre o condiciones inseguras en propiedad privada.",
    departmentCode: "CODE",
    slaBusinessDays: 10,
    standardResponseEn:
      "Thank you for reporting a possible code violation (reference {referenceNumber}). A code inspector will visit the property within ten business days. If a violation is confirmed, the owner receives a notice with a deadline to correct it, and follow-up inspections continue until it is resolved.",
    standardResponseEs:
      "Gracias por reportar una posible infracción del código (referencia {referenceNumber}). Un inspector de código visitará la propiedad en un plazo de diez días hábiles. Si se confirma la infracción, el propietario recibirá un aviso con una fecha límite para corregirla, y se harán inspecciones de seguimiento hasta que se resuelva.",
    open311ServiceCode: "023",
    keywords: ["weeds", "junk", "overgrown", "blight", "vacant", "hierba", "maleza", "chatarra", "lote"],
  },
  {
    code: "shopping-cart",
    nameEn: "Abandoned Shopping Cart",
    nameEs: "Carrito de compras abandonado",
    descriptionEn: "A shopping cart left on a sidewalk, street, wash, park or bus stop.",
    descriptionEs:
      "Un carrito de compras abandonado en una banqueta, calle, arroyo, parque o parada de autobús.",
    departmentCode: "CODE",
    slaBusinessDays: 5,
    standardResponseEn:
      "Thank you for reporting an abandoned shopping cart (reference {referenceNumber}). We will notify the store that owns the cart, and carts not picked up by the store within five business days are collected by the city. Including the store name shown on the cart helps us reach the right business.",
    standardResponseEs:
      "Gracias por reportar un carrito de compras abandonado (referencia {referenceNumber}). Avisaremos a la tienda dueña del carrito, y los carritos que la tienda no recoja en un plazo de cinco días hábiles serán recogidos por la ciudad. Incluir el nombre de la tienda que aparece en el carrito nos ayuda a contactar al negocio correcto.",
    open311ServiceCode: "024",
    keywords: ["shopping cart", "cart", "store", "abandoned", "carrito", "tienda", "abandonado"],
  },
  {
    code: "noise-complaint",
    nameEn: "Noise Complaint",
    nameEs: "Queja por ruido",
    descriptionEn:
      "Ongoing loud music, parties, construction outside permitted hours or other recurring noise.",
    descriptionEs:
      "Música alta, fiestas, construcción fuera del horario permitido u otro ruido frecuente y continuo.",
    departmentCode: "POLICE_NONEMERG",
    slaBusinessDays: 3,
    standardResponseEn:
      "Thank you for contacting us about the noise (reference {referenceNumber}). For noise that is happening right now, please call the police non-emergency line so an officer can respond while it is ongoing. For recurring problems, an officer or neighborhood liaison will follow up with the address within three business days.",
    standardResponseEs:
      "Gracias por comunicarse con nosotros sobre el ruido (referencia {referenceNumber}). Si el ruido está ocurriendo en este momento, llame a la línea de policía para casos que no son de emergencia para que un oficial pueda responder mientras continúa. Para problemas recurrentes, un oficial o enlace vecinal dará seguimiento con ese domicilio en un plazo de tres días hábiles.",
    open311ServiceCode: "025",
    keywords: ["noise", "loud", "music", "party", "construction", "ruido", "música", "fiesta"],
  },
  {
    code: "abandoned-vehicle",
    nameEn: "Abandoned Vehicle",
    nameEs: "Vehículo abandonado",
    descriptionEn:
      "A vehicle parked on a public street for more than 72 hours, or one that appears wrecked or stripped.",
    descriptionEs:
      "Un vehículo estacionado en la vía pública por más de 72 horas, o que parece chocado o desmantelado.",
    departmentCode: "POLICE_NONEMERG",
    slaBusinessDays: 5,
    standardResponseEn:
      "Thank you for reporting a possibly abandoned vehicle (reference {referenceNumber}). An officer will inspect the vehicle within five business days and tag it if it has not moved in 72 hours. Tagged vehicles that are still not moved may be towed at the owner's expense.",
    standardResponseEs:
      "Gracias por reportar un vehículo posiblemente abandonado (referencia {referenceNumber}). Un oficial inspeccionará el vehículo en un plazo de cinco días hábiles y le pondrá una etiqueta si no se ha movido en 72 horas. Los vehículos etiquetados que sigan sin moverse pueden ser remolcados a cuenta del propietario.",
    open311ServiceCode: "026",
    keywords: ["abandoned", "vehicle", "car", "truck", "tow", "stripped", "vehículo", "carro", "abandonado"],
  },
  {
    code: "traffic-signal",
    nameEn: "Traffic Signal Malfunction",
    nameEs: "Falla de semáforo",
    descriptionEn:
      "A traffic signal that is dark, flashing, stuck, knocked over or has a broken pedestrian button.",
    descriptionEs:
      "Un semáforo apagado, intermitente, trabado, derribado o con el botón peatonal descompuesto.",
    departmentCode: "TRANSPORTATION",
    slaBusinessDays: 2,
    standardResponseEn:
      "Thank you for reporting a traffic signal problem (reference {referenceNumber}). A signal technician will respond within two business days, and immediately when a signal is dark or knocked down. Until then, please treat a dark signal as an all-way stop.",
    standardResponseEs:
      "Gracias por reportar un problema con el semáforo (referencia {referenceNumber}). Un técnico de semáforos responderá en un plazo de dos días hábiles, y de inmediato si el semáforo está apagado o derribado. Mientras tanto, trate un semáforo apagado como un alto en todas las direcciones.",
    open311ServiceCode: "027",
    keywords: ["traffic signal", "light", "signal", "flashing", "intersection", "semáforo", "señal", "cruce"],
  },
  {
    code: "street-sign",
    nameEn: "Damaged or Missing Street Sign",
    nameEs: "Señal de tránsito dañada o faltante",
    descriptionEn:
      "A stop sign, street name sign or other traffic sign that is missing, faded, bent or blocked.",
    descriptionEs:
      "Una señal de alto, letrero con nombre de calle u otra señal de tránsito que falta, está descolorida, doblada o tapada.",
    departmentCode: "TRANSPORTATION",
    slaBusinessDays: 5,
    standardResponseEn:
      "Thank you for reporting a sign problem (reference {referenceNumber}). Missing or knocked-down stop signs are replaced the same day, and other signs are repaired within five business days. If a stop sign is down right now, please also call the police non-emergency line.",
    standardResponseEs:
      "Gracias por reportar el problema con la señal (referencia {referenceNumber}). Las señales de alto faltantes o derribadas se reemplazan el mismo día, y las demás señales se reparan en un plazo de cinco días hábiles. Si en este momento hay una señal de alto caída, llame también a la línea de policía para casos que no son de emergencia.",
    open311ServiceCode: "028",
    keywords: ["sign", "stop sign", "street sign", "bent", "missing", "señal", "letrero", "alto"],
  },
  {
    code: "traffic-calming",
    nameEn: "Speeding and Traffic Calming",
    nameEs: "Exceso de velocidad y reducción del tráfico",
    descriptionEn:
      "Requests for speed humps, crosswalks, signs or enforcement on streets where drivers speed.",
    descriptionEs:
      "Solicitudes de reductores de velocidad, cruces peatonales, señales o vigilancia en calles donde se maneja a exceso de velocidad.",
    departmentCode: "TRANSPORTATION",
    slaBusinessDays: 15,
    standardResponseEn:
      "Thank you for your traffic safety request (reference {referenceNumber}). A traffic engineer will review crash history and schedule a speed and volume count on the street, and we will share the findings within fifteen business days. Speed humps require a petition signed by a majority of residents on the street, and we can send you the petition form.",
    standardResponseEs:
      "Gracias por su solicitud de seguridad vial (referencia {referenceNumber}). Un ingeniero de tránsito revisará el historial de choques y programará un conteo de velocidad y volumen en la calle, y le compartiremos los resultados en un plazo de quince días hábiles. Los reductores de velocidad requieren una petición firmada por la mayoría de los residentes de la calle, y podemos enviarle el formulario.",
    open311ServiceCode: "029",
    keywords: ["speeding", "speed hump", "crosswalk", "traffic", "fast", "velocidad", "tope", "reductor"],
  },
  {
    code: "parking-violation",
    nameEn: "Parking Violation",
    nameEs: "Infracción de estacionamiento",
    descriptionEn:
      "Vehicles blocking driveways, fire hydrants, sidewalks or parked in no-parking or accessible spaces.",
    descriptionEs:
      "Vehículos que bloquean entradas, hidrantes o banquetas, o estacionados en zonas prohibidas o reservadas para personas con discapacidad.",
    departmentCode: "TRANSPORTATION",
    slaBusinessDays: 3,
    standardResponseEn:
      "Thank you for reporting a parking problem (reference {referenceNumber}). A parking enforcement officer will visit the location within three business days and cite vehicles in violation. If a vehicle is blocking your driveway right now, please call the police non-emergency line for faster help.",
    standardResponseEs:
      "Gracias por reportar el problema de estacionamiento (referencia {referenceNumber}). Un agente de control de estacionamiento visitará el lugar en un plazo de tres días hábiles y multará a los vehículos en infracción. Si un vehículo está bloqueando su entrada en este momento, llame a la línea de policía para casos que no son de emergencia para recibir ayuda más rápida.",
    open311ServiceCode: "030",
    keywords: [
      "parking",
      "parked",
      "driveway",
      "blocking",
      "hydrant",
      "estacionamiento",
      "estacionado",
      "entrada",
    ],
  },
  {
    code: "storm-drain",
    nameEn: "Clogged Storm Drain",
    nameEs: "Coladera pluvial tapada",
    descriptionEn: "A storm drain, catch basin or drainage channel blocked by debris, sediment or trash.",
    descriptionEs:
      "Una coladera pluvial, registro o canal de desagüe tapado con escombros, sedimento o basura.",
    departmentCode: "STORMWATER",
    slaBusinessDays: 3,
    standardResponseEn:
      "Thank you for reporting a clogged storm drain (reference {referenceNumber}). A stormwater crew will clear the drain within three business days, and sooner before a forecast storm. Please never pour oil, paint or chemicals into a storm drain, because it flows untreated to our washes.",
    standardResponseEs:
      "Gracias por reportar la coladera pluvial tapada (referencia {referenceNumber}). Una cuadrilla de aguas pluviales limpiará la coladera en un plazo de tres días hábiles, y antes si se pronostica una tormenta. Nunca vierta aceite, pintura ni químicos en una coladera pluvial, porque el agua llega sin tratamiento a nuestros arroyos.",
    open311ServiceCode: "031",
    keywords: ["storm drain", "drain", "clogged", "catch basin", "debris", "coladera", "desagüe", "tapada"],
  },
  {
    code: "street-flooding",
    nameEn: "Street Flooding",
    nameEs: "Inundación de calles",
    descriptionEn: "Standing water or flooding on a street, intersection or wash crossing after rain.",
    descriptionEs: "Agua estancada o inundación en una calle, cruce o paso de arroyo después de la lluvia.",
    departmentCode: "STORMWATER",
    slaBusinessDays: 2,
    standardResponseEn:
      "Thank you for reporting flooding (reference {referenceNumber}). A crew will inspect the location within two business days and place barricades where a road is unsafe. Please never drive through a flooded wash or roadway; turn around, don't drown.",
    standardResponseEs:
      "Gracias por reportar la inundación (referencia {referenceNumber}). Una cuadrilla inspeccionará el lugar en un plazo de dos días hábiles y colocará barricadas donde el camino no sea seguro. Nunca maneje a través de un arroyo o una calle inundada; dé la vuelta y evite ahogarse.",
    open311ServiceCode: "032",
    keywords: ["flooding", "flood", "standing water", "monsoon", "wash", "inundación", "charco", "lluvia"],
  },
  {
    code: "stray-animal",
    nameEn: "Stray or Loose Animal",
    nameEs: "Animal callejero o suelto",
    descriptionEn:
      "A loose or stray dog or other animal, including animals that appear injured or aggressive.",
    descriptionEs:
      "Un perro u otro animal suelto o callejero, incluidos los que parecen heridos o agresivos.",
    departmentCode: "ANIMAL",
    slaBusinessDays: 2,
    standardResponseEn:
      "Thank you for reporting a stray animal (reference {referenceNumber}). An animal services officer will respond within two business days, and right away for injured or aggressive animals. If a dog is attacking a person or another animal, please call 911.",
    standardResponseEs:
      "Gracias por reportar un animal callejero (referencia {referenceNumber}). Un oficial de servicios de animales responderá en un plazo de dos días hábiles, y de inmediato si el animal está herido o es agresivo. Si un perro está atacando a una persona o a otro animal, llame al 911.",
    open311ServiceCode: "033",
    keywords: ["stray", "loose dog", "dog", "cat", "animal", "perro", "callejero", "suelto", "gato"],
  },
  {
    code: "barking-dog",
    nameEn: "Barking Dog",
    nameEs: "Perro que ladra",
    descriptionEn: "A dog that barks for long periods or repeatedly disturbs the neighborhood.",
    descriptionEs: "Un perro que ladra por largos periodos o molesta repetidamente al vecindario.",
    departmentCode: "ANIMAL",
    slaBusinessDays: 10,
    standardResponseEn:
      "Thank you for contacting Animal Services about a barking dog (reference {referenceNumber}). We will send an educational letter to the dog's owner within ten business days. If the barking continues after two weeks, we can send you a log form, which is needed before a citation can be issued.",
    standardResponseEs:
      "Gracias por comunicarse con Servicios de Animales sobre un perro que ladra (referencia {referenceNumber}). Enviaremos una carta informativa al dueño del perro en un plazo de diez días hábiles. Si los ladridos continúan después de dos semanas, podemos enviarle un formulario de registro, que se necesita antes de poder emitir una multa.",
    open311ServiceCode: "034",
    keywords: ["barking", "dog", "bark", "noise", "neighbor", "ladra", "ladridos", "perro", "vecino"],
  },
  {
    code: "library-question",
    nameEn: "Library Question",
    nameEs: "Pregunta sobre la biblioteca",
    descriptionEn: "Questions about library cards, hours, programs, room reservations, fines or lost items.",
    descriptionEs:
      "Preguntas sobre credenciales de la biblioteca, horarios, programas, reservación de salas, multas o artículos perdidos.",
    departmentCode: "LIBRARY",
    slaBusinessDays: 5,
    standardResponseEn:
      "Thank you for contacting the Public Library (reference {referenceNumber}). A library staff member will answer your question within five business days. Library cards are free for residents, and you can renew items and check hours at any branch desk or by phone.",
    standardResponseEs:
      "Gracias por comunicarse con la Biblioteca Pública (referencia {referenceNumber}). Un miembro del personal de la biblioteca responderá su pregunta en un plazo de cinco días hábiles. Las credenciales de la biblioteca son gratuitas para los residentes, y puede renovar artículos y consultar los horarios en el mostrador de cualquier sucursal o por teléfono.",
    open311ServiceCode: "035",
    keywords: ["library", "book", "card", "branch", "fines", "biblioteca", "libro", "credencial"],
  },
  {
    code: "housing-assistance",
    nameEn: "Housing Assistance",
    nameEs: "Asistencia de vivienda",
    descriptionEn:
      "Questions about rental and utility assistance, housing vouchers, home repair programs or tenant resources.",
    descriptionEs:
      "Preguntas sobre ayuda para la renta y los servicios, vales de vivienda, programas de reparación de viviendas o recursos para inquilinos.",
    departmentCode: "HOUSING",
    slaBusinessDays: 5,
    standardResponseEn:
      "Thank you for contacting Housing and Community Development (reference {referenceNumber}). A housing specialist will call you within five business days to review your situation and the programs you may qualify for. If you have received an eviction notice, please tell us the court date so we can prioritize your request.",
    standardResponseEs:
      "Gracias por comunicarse con Vivienda y Desarrollo Comunitario (referencia {referenceNumber}). Un especialista en vivienda le llamará en un plazo de cinco días hábiles para revisar su situación y los programas para los que podría calificar. Si recibió un aviso de desalojo, indíquenos la fecha de la audiencia para dar prioridad a su solicitud.",
    open311ServiceCode: "036",
    keywords: [
      "housing",
      "rent",
      "eviction",
      "voucher",
      "assistance",
      "vivienda",
      "renta",
      "desalojo",
      "ayuda",
    ],
  },
  {
    code: "building-permit",
    nameEn: "Building Permit Question",
    nameEs: "Pregunta sobre permisos de construcción",
    descriptionEn:
      "Questions about permits for additions, remodels, pools, fences, solar, plan review or inspections.",
    descriptionEs:
      "Preguntas sobre permisos para ampliaciones, remodelaciones, albercas, cercas, paneles solares, revisión de planos o inspecciones.",
    departmentCode: "PLANNING",
    slaBusinessDays: 10,
    standardResponseEn:
      "Thank you for your building permit question (reference {referenceNumber}). A permit technician will contact you within ten business days with the requirements for your project. Having the property address, a short description of the work and any drawings ready will help us answer quickly.",
    standardResponseEs:
      "Gracias por su pregunta sobre permisos de construcción (referencia {referenceNumber}). Un técnico de permisos se comunicará con usted en un plazo de diez días hábiles con los requisitos para su proyecto. Tener a la mano la dirección de la propiedad, una breve descripción del trabajo y cualquier plano nos ayudará a responder con rapidez.",
    open311ServiceCode: "037",
    keywords: [
      "permit",
      "building",
      "remodel",
      "inspection",
      "fence",
      "pool",
      "permiso",
      "construcción",
      "obra",
    ],
  },
  {
    code: "zoning-question",
    nameEn: "Zoning Question",
    nameEs: "Pregunta sobre zonificación",
    descriptionEn:
      "Questions about zoning, allowed uses, setbacks, home businesses, rezoning cases or public hearings.",
    descriptionEs:
      "Preguntas sobre zonificación, usos permitidos, retiros, negocios en casa, casos de rezonificación o audiencias públicas.",
    departmentCode: "PLANNING",
    slaBusinessDays: 15,
    standardResponseEn:
      "Thank you for your zoning question (reference {referenceNumber}). A city planner will research the property and respond within fifteen business days. If your question is about a pending rezoning or hearing, we will include the case number and how to submit comments.",
    standardResponseEs:
      "Gracias por su pregunta sobre zonificación (referencia {referenceNumber}). Un planificador de la ciudad investigará la propiedad y responderá en un plazo de quince días hábiles. Si su pregunta es sobre una rezonificación o audiencia pendiente, incluiremos el número de caso y la manera de enviar comentarios.",
    open311ServiceCode: "038",
    keywords: [
      "zoning",
      "rezoning",
      "setback",
      "land use",
      "hearing",
      "zonificación",
      "uso de suelo",
      "audiencia",
    ],
  },
  {
    code: "bus-stop",
    nameEn: "Bus Stop and Transit",
    nameEs: "Paradas de autobús y transporte público",
    descriptionEn:
      "Damaged bus shelters, benches or signs, litter at stops, and questions about routes or paratransit.",
    descriptionEs:
      "Refugios, bancas o señales de autobús dañados, basura en las paradas y preguntas sobre rutas o paratránsito.",
    departmentCode: "TRANSIT",
    slaBusinessDays: 5,
    standardResponseEn:
      "Thank you for contacting Public Transit (reference {referenceNumber}). Shelter and stop repairs are scheduled within five business days, and route questions are answered in the same time. For real-time arrivals and trip planning, please call the transit information line.",
    standardResponseEs:
      "Gracias por comunicarse con Transporte Público (referencia {referenceNumber}). Las reparaciones de refugios y paradas se programan en un plazo de cinco días hábiles, y las preguntas sobre rutas se responden en el mismo plazo. Para conocer las llegadas en tiempo real y planear su viaje, llame a la línea de información de transporte.",
    open311ServiceCode: "039",
    keywords: ["bus", "bus stop", "shelter", "route", "transit", "autobús", "parada", "camión", "ruta"],
  },
  {
    code: "general-inquiry",
    nameEn: "General Inquiry",
    nameEs: "Consulta general",
    descriptionEn: "General questions about city services, or requests that do not fit another category.",
    descriptionEs:
      "Preguntas generales sobre los servicios de la ciudad o solicitudes que no encajan en otra categoría.",
    departmentCode: "CMO",
    slaBusinessDays: 5,
    standardResponseEn:
      "Thank you for contacting the City Manager's Office (reference {referenceNumber}). We will review your question and respond, or connect you with the right department, within five business days. You can check the status of your request at any time with your reference number.",
    standardResponseEs:
      "Gracias por comunicarse con la Oficina del Administrador Municipal (referencia {referenceNumber}). Revisaremos su pregunta y le responderemos, o lo pondremos en contacto con el departamento correspondiente, en un plazo de cinco días hábiles. Puede consultar el estado de su solicitud en cualquier momento con su número de referencia.",
    open311ServiceCode: "040",
    keywords: ["question", "information", "general", "help", "city hall", "pregunta", "información", "ayuda"],
  },
  {
    code: "compliment",
    nameEn: "Compliment",
    nameEs: "Felicitación",
    descriptionEn: "Praise for a city employee, crew or program.",
    descriptionEs: "Reconocimiento para un empleado, una cuadrilla o un programa de la ciudad.",
    departmentCode: "CMO",
    slaBusinessDays: 5,
    standardResponseEn:
      "Thank you for taking the time to share your kind words (reference {referenceNumber}). We will pass your compliment along to the employees and their supervisor. Feedback like yours helps us recognize great service.",
    standardResponseEs:
      "Gracias por tomarse el tiempo de compartir sus amables palabras (referencia {referenceNumber}). Haremos llegar su felicitación a los empleados y a su supervisor. Comentarios como el suyo nos ayudan a reconocer el buen servicio.",
    open311ServiceCode: "041",
    keywords: [
      "compliment",
      "thank",
      "thanks",
      "great job",
      "praise",
      "felicitación",
      "gracias",
      "excelente",
    ],
  },
  {
    code: "service-complaint",
    nameEn: "Complaint About City Service",
    nameEs: "Queja sobre un servicio de la ciudad",
    descriptionEn: "Concerns about the quality of a city service or the conduct of a city employee.",
    descriptionEs:
      "Inquietudes sobre la calidad de un servicio de la ciudad o la conducta de un empleado municipal.",
    departmentCode: "CMO",
    slaBusinessDays: 5,
    standardResponseEn:
      "Thank you for bringing this to our attention (reference {referenceNumber}). The City Manager's Office will review your concern with the department involved and respond to you within five business days. We take every complaint seriously and use them to improve our services.",
    standardResponseEs:
      "Gracias por informarnos sobre esta situación (referencia {referenceNumber}). La Oficina del Administrador Municipal revisará su inquietud con el departamento correspondiente y le responderá en un plazo de cinco días hábiles. Tomamos en serio cada queja y la usamos para mejorar nuestros servicios.",
    open311ServiceCode: "042",
    keywords: [
      "complaint",
      "rude",
      "unhappy",
      "poor service",
      "employee",
      "queja",
      "reclamo",
      "mal servicio",
    ],
  },
];
