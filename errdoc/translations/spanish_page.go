package translations

// spanishPage returns the response-code page's own text in Spanish, by the
// keys of errdoc.PageTexts. "title" and "api" name the page and the API
// (DocsOptions name them in the default language only): set "api" to your
// API's name. Placeholders ({api}, {code},
// {header}...) and the anchors of links
// (#retrying-requests...) stay as they are; the page fills the first and
// keeps the second the same in every language.
func spanishPage() map[string]string {
	return map[string]string{
		"title": "Códigos de respuesta",
		"api":   "La API",
		"intro": "{api} responde a cada solicitud con un estado HTTP que dice cómo ha ido: 2xx o 3xx si ha salido bien, " +
			"4xx si la solicitud tiene que cambiar para poder salir bien, 5xx si ha fallado el servidor. " +
			"Toda respuesta de error lleva un pequeño documento JSON que nombra el fallo con un `code` estable: " +
			"decida según el código, muestre el `detail` a las personas y cite el ID de la solicitud cuando informe de un problema. " +
			"Esta página enumera todos los códigos y si reintentar puede servir; explica cada miembro de los documentos " +
			"y las cabeceras que los acompañan, y cómo reintentar. " +
			"Cada código tiene su propio ancla: los documentos enlazan a esta página seguida de `#` y su código.",
		"intro.endpoints": "{api} responde a cada solicitud con un estado HTTP que dice cómo ha ido: 2xx o 3xx si ha salido bien, " +
			"4xx si la solicitud tiene que cambiar para poder salir bien, 5xx si ha fallado el servidor. " +
			"Toda respuesta de error lleva un pequeño documento JSON que nombra el fallo con un `code` estable: " +
			"decida según el código, muestre el `detail` a las personas y cite el ID de la solicitud cuando informe de un problema. " +
			"Esta página enumera todos los códigos, si reintentar puede servir y qué puntos de acceso responden con cada uno; " +
			"explica cada miembro de los documentos y las cabeceras que los acompañan, y cómo reintentar. " +
			"Cada código tiene su propio ancla: los documentos enlazan a esta página seguida de `#` y su código.",
		"contents": "Contenido",

		"section.codes":       "Códigos de estado HTTP",
		"section.endpoints":   "Puntos de acceso",
		"section.documents":   "Mensajes de error",
		"section.jsonapi":     "JSON:API",
		"section.problem":     "Detalles del problema",
		"section.twitter":     "Twitter v1",
		"section.meta":        "Miembros de meta",
		"section.headers":     "Cabeceras de respuesta",
		"section.retry":       "Reintentar solicitudes",
		"section.waiting":     "Cuánto esperar",
		"section.idempotency": "Qué solicitudes repetir",

		"codes.intro": "El `code` de un documento de error es estable y se puede usar para decidir qué hacer. " +
			"La columna Reintentar dice si volver a enviar la solicitud puede servir: vea [Reintentar solicitudes](#retrying-requests).",
		"column.status":      "Estado",
		"column.status_md":   "Código",
		"column.text":        "Texto",
		"column.code":        "Código de error",
		"column.description": "Descripción",
		"column.retry":       "Reintentar",
		"column.endpoint":    "Punto de acceso",
		"column.summary":     "Resumen",
		"column.codes":       "Códigos de error",
		"column.member":      "Miembro",
		"column.meaning":     "Significado",
		"column.example":     "Ejemplo",
		"column.meta_codes":  "Códigos",
		"column.header":      "Cabecera",
		"column.sent":        "Se envía con",

		"row.ok.text":            "OK",
		"row.ok.description":     "Éxito.",
		"row.not_an_error":       "No es un código de error.",
		"row.error_code":         "Código de error: {code}.",
		"row.legacy_code":        "Código de Twitter v1: {legacy_code}.",
		"row.server_side":        "No es culpa suya.",
		"row.every_endpoint":     "Cualquier punto de acceso puede responder con él.",
		"row.endpoints":          "Puntos de acceso que lo devuelven: {endpoints}.",
		"row.endpoints_all_but":  "Lo devuelven todos los puntos de acceso salvo {endpoints}.",
		"endpoints.intro":        "Los códigos de error con los que puede responder cada punto de acceso.",
		"endpoints.intro_router": "Los códigos de error con los que puede responder cada punto de acceso. Cualquiera de ellos puede responder además con {codes}: las respuestas del enrutador a una ruta o un método que nada atiende.",
		"endpoints.deprecated":   "Obsoleto.",
		"documents.intro":        "Toda respuesta de error lleva un documento JSON en uno de tres formatos: JSON:API por defecto, detalles del problema cuando la cabecera `Accept` de la solicitud los prefiere, y la forma de Twitter v1 en las rutas que la conservan. Un cliente debe ignorar los miembros que no conozca: pueden añadirse miembros nuevos, y los existentes conservan su significado.",
		"jsonapi.intro":          "Los errores se devuelven como un documento de errores JSON:API (`application/vnd.api+json` si se pide, `application/json` en otro caso). Por ejemplo:",
		"problem.intro":          "Una solicitud cuya cabecera `Accept` prefiere `application/problem+json` recibe en su lugar detalles del problema según el RFC 9457:",
		"twitter.intro":          "Las rutas que conservan la forma de Twitter v1 responden:",
		"meta.intro":             "El `meta` de un error contiene datos propios de su código. Estos son los miembros que el tratamiento de errores del servidor envía cuando los conoce, y los códigos cuyos documentos los llevan:",
		"meta.any":               "Cualquiera",
		"headers.intro":          "Además del documento, estas cabeceras dicen al cliente qué hacer a continuación. Un script del navegador puede leerlas cuando la API permite su origen.",
		"retry.intro":            "La columna Reintentar de los [códigos de estado](#http-status-codes) responde si la misma solicitud puede salir bien más tarde:",
		"example.detail":         "No se encontró el registro identificado por {id}.",

		"reference.errors":             "Los errores, un objeto por fallo: una solicitud con varios fallos (tres valores no válidos en su cuerpo, por ejemplo) los recibe todos a la vez.",
		"reference.id":                 "El ID de la solicitud, como en la cabecera `{header}`. Cuando un documento contiene varios errores, cada ID termina en `.1`, `.2` y así sucesivamente, para que cada error tenga el suyo, y el `meta.request_id` de primer nivel es el ID de la solicitud tal cual.",
		"reference.links":              "Enlaces sobre el error.",
		"reference.links.about":        "La entrada de esta página para el código del error: la dirección de la página, `#` y el código.",
		"reference.links.type":         "El mismo enlace, que nombra el tipo del error (JSON:API 1.1).",
		"reference.status":             "El estado HTTP del error, como cadena.",
		"reference.code":               "El código estable del fallo: su fila en los [códigos de estado](#http-status-codes). Decida según él; los títulos y los detalles pueden redactarse de otro modo, un código no.",
		"reference.title":              "Un breve resumen del código, el mismo en cada aparición. Para personas, no para programas.",
		"reference.detail":             "Qué ha fallado en esta solicitud, en una frase para personas; puede nombrar el valor culpable. Falta cuando el título lo dice todo. En un 5xx es la descripción general del código: lo que falló dentro del servidor se registra, nunca se envía.",
		"reference.source":             "La parte de la solicitud de la que trata el error: uno de los tres miembros siguientes, cuando el error trata de una parte.",
		"reference.pointer":            "Un JSON Pointer (RFC 6901) al valor culpable del cuerpo de la solicitud.",
		"reference.parameter":          "El parámetro de consulta culpable.",
		"reference.header":             "La cabecera de la solicitud culpable.",
		"reference.meta":               "Más datos sobre este error, propios de su código: vea los [miembros de meta](#meta-members).",
		"reference.document_meta":      "Miembros sobre la respuesta en su conjunto.",
		"reference.meta_request_id":    "En un documento con varios errores, cuyos ID terminan en `.1`, `.2`...: el ID de la solicitud tal cual, como en la cabecera `{header}` y en los registros.",
		"reference.trace_id":           "El ID de traza W3C de la solicitud, presente cuando la tiene: la solicitud llevaba una cabecera `traceparent` válida, o el propio trazado del servidor inició una traza. Permite a los operadores de la API encontrar la traza de la solicitud.",
		"reference.problem.type":       "La entrada de esta página para el código del error: la dirección de la página, `#` y el código.",
		"reference.problem.type_blank": "Siempre `about:blank`: el miembro `code` nombra el error.",
		"reference.problem.status":     "El estado HTTP de la respuesta, como número.",
		"reference.problem.detail":     "Qué ha fallado en esta solicitud, en una frase para personas; puede nombrar el valor culpable. Falta cuando el título lo dice todo. En un 5xx es la descripción general del código: lo que falló dentro del servidor se registra, nunca se envía. Un documento con varios errores dice cuántos hay.",
		"reference.problem.instance":   "Un URI que nombra esta aparición: `{instance}` seguido del ID de la solicitud, codificado con porcentajes.",
		"reference.problem.request_id": "El ID de la solicitud, como en la cabecera `{header}`. Cítelo cuando informe de un problema.",
		"reference.problem.errors": "Presente cuando una solicitud tiene varios fallos: un objeto por fallo, cada uno con `type`, `status`, `code` y `title`, " +
			"y `detail`, `pointer`, `parameter`, `header` y `meta` según corresponda. Los miembros anteriores describen entonces la respuesta en su conjunto.",
		"reference.twitter.errors":  "Los errores, un objeto por fallo.",
		"reference.twitter.code":    "El número de Twitter v1 para el error cuando lo tiene (la tabla lo indica); si no, el estado HTTP.",
		"reference.twitter.message": "Una frase para personas: el mensaje de Twitter v1 cuando el error lo tiene; si no, su detalle o su título.",

		"meta.available": "Los tipos de medio con los que puede responder la ruta: envíe una cabecera `Accept` que admita alguno de ellos.",
		"meta.accepted":  "Los tipos de medio que la ruta acepta para el cuerpo de una solicitud, como dice también la cabecera `Accept-Post` o `Accept-Patch`.",
		"meta.max_bytes": "El mayor cuerpo de solicitud que acepta la ruta, en bytes.",
		"meta.offset":    "Para un cuerpo que no es JSON bien formado: cuántos bytes se leyeron antes del fallo.",
		"meta.line":      "Para un cuerpo que no es JSON bien formado: la línea del fallo, contando desde 1.",
		"meta.column":    "Para un cuerpo que no es JSON bien formado: la columna del fallo en su línea, en caracteres, contando desde 1.",
		"meta.trace_id":  "Solo en documentos JSON:API, y en el `meta` de primer nivel en lugar del de un error: el ID de traza W3C de la solicitud, cuando la tiene (vea [JSON:API](#json-api-members)).",
		"meta.cause":     "Solo de un servidor en modo de desarrollo, nunca en producción: el error interno que hay detrás de este.",
		"meta.panic":     "Solo de un servidor en modo de desarrollo: el valor del pánico del que se recuperó el servidor.",
		"meta.stack":     "Solo de un servidor en modo de desarrollo: la pila de la gorrutina que entró en pánico.",

		"header.request_id.sent": "Todas las respuestas",
		"header.request_id": "El ID de la solicitud: el que envió el cliente, si tiene de 1 a 128 letras, dígitos y caracteres de `-_.~+/=@:`; si no, uno creado por el servidor. " +
			"Los documentos de error llevan el mismo ID. Envíe el suyo para seguir una solicitud en sus registros y en los nuestros; cítelo cuando informe de un problema.",
		"header.traceparent.sent":      "Las solicitudes del cliente",
		"header.traceparent":           "Una cabecera W3C Trace Context. Cuando es válida, su ID de traza es el `trace_id` de los documentos de error; una no válida o toda a ceros se ignora.",
		"header.retry_after.sent":      "{statuses}",
		"header.retry_after":           "Cuánto esperar antes de volver a enviar la solicitud: un número de segundos o una fecha HTTP. Vea [reintentar](#retrying-requests).",
		"header.ratelimit.sent":        "Todas las respuestas de una ruta con límite de solicitudes",
		"header.ratelimit":             "La cuota restante: quedan `r` solicitudes, y la cuota completa vuelve en `t` segundos. Cuando `r` es 0, espere `t` segundos en lugar de provocar un 429.",
		"header.ratelimit_policy.sent": "Todas las respuestas de una ruta con límite de solicitudes",
		"header.ratelimit_policy":      "La cuota: `q` solicitudes por ventana de `w` segundos.",
		"header.x_ratelimit.sent":      "Las rutas con límite de solicitudes que envían también los campos antiguos",
		"header.x_ratelimit":           "La cuota por ventana, las solicitudes que quedan en ella y cuándo se restablece (segundos Unix).",
		"header.allow.sent":            "{statuses}, y las respuestas a `OPTIONS`",
		"header.allow":                 "Los métodos que acepta el recurso.",
		"header.www_authenticate.sent": "{statuses}, y el `400` o `403` de un token bearer",
		"header.www_authenticate":      "El esquema de autenticación que hay que usar y, con un token bearer, el motivo del rechazo (`error`, `error_description`) y el `scope` necesario.",
		"header.accept_post.sent":      "{statuses} a un `POST` o `PATCH`",
		"header.accept_post":           "Los tipos de medio que la ruta acepta para el cuerpo de la solicitud.",
		"header.etag.sent":             "Las lecturas que salen bien, y {statuses}",
		"header.etag":                  "La versión de la representación. Envíela en `If-None-Match` para revalidar una copia (304 si está al día), y en `If-Match` para cambiar el recurso solo si nadie lo ha cambiado desde entonces (412 si no).",
		"header.deprecation.sent":      "Todas las respuestas de un punto de acceso obsoleto",
		"header.deprecation":           "Desde cuándo está obsoleto el punto de acceso: `@` y una hora Unix. Planifique el paso a su sucesor.",
		"header.sunset.sent":           "Las respuestas de un punto de acceso que se va a retirar, y el {statuses} que da después",
		"header.sunset":                "Cuándo deja de responder el punto de acceso, o cuándo dejó de hacerlo: una fecha HTTP. Después, el punto de acceso responde 410.",
		"header.link.sent":             "Los puntos de acceso obsoletos y retirados, y {statuses}",
		"header.link":                  "Recursos relacionados: `rel=\"successor-version\"` es el punto de acceso que debe usarse en su lugar, `rel=\"deprecation\"` y `rel=\"sunset\"` explican el cambio, `rel=\"blocked-by\"` nombra a quien exigió un 451.",

		"retry.no":                   "No",
		"retry.no.meaning":           "La respuesta no cambiará por volver a enviar la solicitud: el recurso no está, no es suyo o ha desaparecido para siempre.",
		"retry.after_fix":            "Tras corregirla",
		"retry.after_fix.meaning":    "La misma solicitud recibe la misma respuesta. Cambie aquello a lo que apuntan `detail` y `source` (o la cuenta, en un 402) y envíe la solicitud corregida.",
		"retry.after_auth":           "Tras autenticarse",
		"retry.after_auth.meaning":   "Faltan credenciales o son incorrectas: para la propia API (401, cuya cabecera `WWW-Authenticate` nombra el esquema), para un proxy intermedio (407) o para la red (511). Consiga unas válidas y vuelva a enviar la solicitud.",
		"retry.after_reread":         "Tras volver a leer",
		"retry.after_reread.meaning": "El recurso ha cambiado desde que el cliente lo leyó, o los cambios deben ser condicionales. Léalo de nuevo, rehaga el cambio sobre su estado actual y envíelo con el nuevo `ETag` en `If-Match`.",
		"retry.after_wait":           "Sí, tras Retry-After",
		"retry.after_wait.meaning":   "La solicitud se rechazó antes de procesarse: vuelva a enviarla, sin cambios, cuando termine la espera que indica `Retry-After`.",
		"retry.backoff":              "Sí, con espera creciente",
		"retry.backoff.meaning":      "Ha fallado el servidor, o algo de lo que depende, o el recurso está bloqueado por ahora: suele ser breve. Vuelva a enviar la solicitud tras una espera que crezca con cada intento.",
		"retry.soon":                 "Sí, una vez",
		"retry.soon.meaning":         "La solicitud no llegó tal como se envió: su cuerpo llegó demasiado despacio (408), llegó a un servidor que no atiende su host (421: use una conexión nueva) o vino como datos tempranos de TLS (425: espere al handshake). Vuelva a enviarla enseguida, una sola vez.",

		"waiting.retry_after": "Cuando la respuesta trae una cabecera `Retry-After`, espere al menos ese tiempo: los segundos que indica, o hasta la fecha que nombra. Una solicitud enviada antes se vuelve a rechazar.",
		"waiting.backoff":     "Si no, espere cada vez más: alrededor de 1 segundo, luego 2, 4, 8 y así hasta un minuto, sumando o restando cada vez una parte aleatoria de la espera, para que los clientes no vuelvan todos a la vez. Desista tras unos cinco intentos e informe del ID de la solicitud.",
		"waiting.ratelimit":   "Vigile la cabecera `RateLimit` en cada respuesta: cuando su `r` llegue a 0, espere sus `t` segundos antes de la siguiente solicitud en lugar de provocar un 429.",
		"waiting.no_loops":    "No reintente nunca en un bucle cerrado, ni más de unas pocas veces: cada reintento añade carga a un servidor que quizá ya tenga problemas.",

		"idempotency.idempotent":     "`GET`, `HEAD`, `OPTIONS`, `PUT` y `DELETE` son idempotentes (RFC 9110, sección 9.2.2): enviar una de ellas dos veces tiene el mismo efecto que enviarla una, así que tras un fallo que un reintento puede resolver basta con volver a enviarlas.",
		"idempotency.not_idempotent": "`POST` y `PATCH` no lo son. Tras un 500, 502 o 504, o una conexión que se cortó antes de llegar la respuesta, puede que el servidor hiciera el trabajo antes de fallar: lea el recurso (o la lista a la que se habría añadido) para averiguarlo antes de volver a enviar la solicitud.",
		"idempotency.any_method":     "Las respuestas que rechazan una solicitud antes de procesarla se pueden reintentar sea cual sea el método: 408, 420, 421, 425 y 429, y normalmente 503 (el servidor estaba demasiado ocupado, o en mantenimiento, para empezar).",
	}
}
