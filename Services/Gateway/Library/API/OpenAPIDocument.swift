/// The OpenAPI 3.1 description of the gateway's JSON APIs, served at `/api/v1/openapi.json`; the
/// tests check every JSON answer against it.
enum OpenAPIDocument {
    /// The document.
    static let json = #"""
{
 "openapi": "3.1.0",
 "info": {
  "title": "Mobilní klíč – gateway",
  "version": "1.0.0",
  "description": "Citizen, mobile-app, counter, office, authority and identity-provider APIs. Errors always use the Error schema."
 },
 "paths": {
  "/api/v1/session": {
   "get": {
    "summary": "The signed-in citizen and the CSRF token",
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Session"
        }
       }
      }
     },
     "401": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    },
    "security": [
     {
      "session": []
     }
    ]
   }
  },
  "/api/v1/keys": {
   "get": {
    "summary": "The citizen's mobile keys and BOK state",
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/KeyList"
        }
       }
      }
     },
     "401": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "503": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    },
    "security": [
     {
      "session": []
     }
    ]
   }
  },
  "/api/v1/keys/{id}": {
   "get": {
    "summary": "One key",
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Key"
        }
       }
      }
     },
     "401": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "503": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    },
    "security": [
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      }
     }
    ]
   },
   "patch": {
    "summary": "Rename a key (X-CSRF-Token)",
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Key"
        }
       }
      }
     },
     "400": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "403": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "405": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "409": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "415": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "429": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "500": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "503": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/Rename"
       }
      }
     }
    },
    "security": [
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      }
     }
    ]
   },
   "delete": {
    "summary": "Unpair a key (X-CSRF-Token, recent sign-in; confirmLastMeans=true for the last means)",
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Unpaired"
        }
       }
      }
     },
     "400": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "403": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "405": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "409": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "415": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "429": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "500": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "503": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    },
    "security": [
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "confirmLastMeans",
      "in": "query",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ]
   }
  },
  "/api/v1/keys/{id}/last-means": {
   "get": {
    "summary": "Whether the key is the last identification means",
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LastMeans"
        }
       }
      }
     },
     "401": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "503": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    },
    "security": [
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      }
     }
    ]
   }
  },
  "/api/v1/pairings": {
   "post": {
    "summary": "Issue an activation code (X-CSRF-Token, recent sign-in)",
    "responses": {
     "201": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Pairing"
        }
       }
      }
     },
     "400": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "403": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "405": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "409": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "415": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "429": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "500": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "503": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    },
    "security": [
     {
      "session": []
     }
    ]
   }
  },
  "/api/v1/pairings/{id}": {
   "get": {
    "summary": "The state of a pairing",
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/PairingStatus"
        }
       }
      }
     },
     "401": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "503": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    },
    "security": [
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      }
     }
    ]
   }
  },
  "/api/v1/settings": {
   "get": {
    "summary": "The notification settings grid",
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Settings"
        }
       }
      }
     },
     "401": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "503": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    },
    "security": [
     {
      "session": []
     }
    ]
   },
   "put": {
    "summary": "Save the whole grid (X-CSRF-Token); 409 ABORTED/STALE_SETTINGS when changed meanwhile",
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Settings"
        }
       }
      }
     },
     "400": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "403": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "405": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "409": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "415": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "429": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "500": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "503": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/Settings"
       }
      }
     }
    },
    "security": [
     {
      "session": []
     }
    ]
   }
  },
  "/api/v1/contacts": {
   "get": {
    "summary": "Vaše údaje",
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Contacts"
        }
       }
      }
     },
     "401": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "503": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    },
    "security": [
     {
      "session": []
     }
    ]
   },
   "put": {
    "summary": "Save Vaše údaje (X-CSRF-Token)",
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Contacts"
        }
       }
      }
     },
     "400": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "403": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "405": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "409": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "415": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "429": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "500": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "503": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/Contacts"
       }
      }
     }
    },
    "security": [
     {
      "session": []
     }
    ]
   }
  },
  "/api/v1/history": {
   "get": {
    "summary": "The citizen's history, newest first",
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/History"
        }
       }
      }
     },
     "401": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "503": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    },
    "security": [
     {
      "session": []
     }
    ]
   }
  },
  "/app/v1/pairings": {
   "post": {
    "summary": "Redeem an activation code and register the key",
    "responses": {
     "201": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/RedeemedKey"
        }
       }
      }
     },
     "400": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "415": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "429": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "503": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/Redeem"
       }
      }
     }
    }
   }
  },
  "/app/v1/inbox": {
   "get": {
    "summary": "Unread inbox (long-poll with ?wait=seconds)",
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Inbox"
        }
       }
      }
     },
     "401": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "503": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    },
    "security": [
     {
      "device": []
     }
    ],
    "parameters": [
     {
      "name": "wait",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer"
      }
     }
    ]
   }
  },
  "/app/v1/inbox/ack": {
   "post": {
    "summary": "Acknowledge inbox messages",
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Acknowledged"
        }
       }
      }
     },
     "400": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "415": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "503": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/Ack"
       }
      }
     }
    },
    "security": [
     {
      "device": []
     }
    ]
   }
  },
  "/app/v1/not-me": {
   "post": {
    "summary": "Nebyl jsem to já: unpair the key a notice concerns",
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/NotMeDone"
        }
       }
      }
     },
     "400": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "415": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "503": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/NotMe"
       }
      }
     }
    },
    "security": [
     {
      "device": []
     }
    ]
   }
  },
  "/app/v1/bok/key": {
   "get": {
    "summary": "The BOK service's HPKE public key",
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/HpkeKey"
        }
       }
      }
     },
     "401": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "503": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    },
    "security": [
     {
      "device": []
     }
    ]
   }
  },
  "/app/v1/bok/status": {
   "get": {
    "summary": "The citizen's BOK state",
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/BokStatus"
        }
       }
      }
     },
     "401": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "503": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    },
    "security": [
     {
      "device": []
     }
    ]
   }
  },
  "/app/v1/bok/prompts": {
   "get": {
    "summary": "Pending BOK prompts for this key",
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Prompts"
        }
       }
      }
     },
     "401": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "503": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    },
    "security": [
     {
      "device": []
     }
    ]
   }
  },
  "/app/v1/bok/prompts/{id}/answer": {
   "post": {
    "summary": "Answer a prompt: counter code and HPKE-encrypted BOK, signed",
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/AnswerOutcome"
        }
       }
      }
     },
     "400": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "409": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "415": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "429": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "503": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/Answer"
       }
      }
     }
    },
    "security": [
     {
      "device": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      }
     }
    ]
   }
  },
  "/counter/v1/verifications": {
   "post": {
    "summary": "Start a BOK verification",
    "responses": {
     "201": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/StartedVerification"
        }
       }
      }
     },
     "400": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "409": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "415": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "429": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "503": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/StartVerification"
       }
      }
     }
    },
    "security": [
     {
      "basic": []
     }
    ]
   }
  },
  "/counter/v1/verifications/{id}": {
   "get": {
    "summary": "A verification's state",
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Verification"
        }
       }
      }
     },
     "401": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "503": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    },
    "security": [
     {
      "basic": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      }
     }
    ]
   }
  },
  "/counter/v1/verifications/{id}/cancel": {
   "post": {
    "summary": "Cancel a verification",
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Verification"
        }
       }
      }
     },
     "401": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "503": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    },
    "security": [
     {
      "basic": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      }
     }
    ]
   }
  },
  "/office/v1/bok": {
   "post": {
    "summary": "Set a citizen's BOK when the identity card is collected (office credentials; the code is never echoed)",
    "responses": {
     "201": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/BokChanged"
        }
       }
      }
     },
     "400": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "409": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "415": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "429": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "503": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/SetBok"
       }
      }
     }
    },
    "security": [
     {
      "basic": []
     }
    ]
   }
  },
  "/office/v1/bok/unblock": {
   "post": {
    "summary": "Unblock or replace a citizen's BOK with a new code (office credentials)",
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/BokChanged"
        }
       }
      }
     },
     "400": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "413": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "415": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "429": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "503": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/UnblockBok"
       }
      }
     }
    },
    "security": [
     {
      "basic": []
     }
    ]
   }
  },
  "/office/v1/bok/{subject}": {
   "get": {
    "summary": "A citizen's BOK state and wrong answers left (office credentials)",
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/BokStatus"
        }
       }
      }
     },
     "400": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "429": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "503": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    },
    "security": [
     {
      "basic": []
     }
    ],
    "parameters": [
     {
      "name": "subject",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      }
     }
    ]
   },
   "delete": {
    "summary": "Remove a citizen's BOK (office credentials); removing none is not an error",
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/BokChanged"
        }
       }
      }
     },
     "400": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "429": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "503": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    },
    "security": [
     {
      "basic": []
     }
    ],
    "parameters": [
     {
      "name": "subject",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      }
     }
    ]
   }
  },
  "/authority/v1/notifications": {
   "post": {
    "summary": "Send an informative notification (Idempotency-Key header)",
    "responses": {
     "202": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/NotificationAccepted"
        }
       }
      }
     },
     "400": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "409": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "415": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "503": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/SendNotification"
       }
      }
     }
    },
    "security": [
     {
      "basic": []
     }
    ],
    "parameters": [
     {
      "name": "Idempotency-Key",
      "in": "header",
      "required": true,
      "schema": {
       "type": "string"
      }
     }
    ]
   }
  },
  "/authority/v1/notifications/{id}": {
   "get": {
    "summary": "A notification's per-channel status",
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/NotificationStatus"
        }
       }
      }
     },
     "401": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "404": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "503": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    },
    "security": [
     {
      "basic": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      }
     }
    ]
   }
  },
  "/idp/v1/logins": {
   "post": {
    "summary": "A sign-in by any means",
    "responses": {
     "200": {
      "description": "success",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/LoginRecorded"
        }
       }
      }
     },
     "400": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "401": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "415": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     },
     "503": {
      "description": "error",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Error"
        }
       }
      }
     }
    },
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/Login"
       }
      }
     }
    },
    "security": [
     {
      "basic": []
     }
    ]
   }
  }
 },
 "components": {
  "schemas": {
   "Error": {
    "type": "object",
    "properties": {
     "error": {
      "type": "object",
      "properties": {
       "code": {
        "type": "string"
       },
       "message": {
        "type": "string"
       },
       "reason": {
        "type": "string"
       },
       "correlationId": {
        "type": "string"
       }
      },
      "required": [
       "code",
       "message",
       "correlationId"
      ]
     }
    },
    "required": [
     "error"
    ]
   },
   "Session": {
    "type": "object",
    "properties": {
     "subject": {
      "type": "string"
     },
     "name": {
      "type": "string"
     },
     "csrfToken": {
      "type": "string"
     },
     "authenticatedAt": {
      "type": "string",
      "format": "date-time"
     },
     "recentSignIn": {
      "type": "boolean"
     }
    },
    "required": [
     "subject",
     "name",
     "csrfToken",
     "authenticatedAt",
     "recentSignIn"
    ]
   },
   "BokStatus": {
    "type": "object",
    "properties": {
     "state": {
      "type": "string",
      "enum": [
       "NONE",
       "ACTIVE",
       "BLOCKED",
       "UNSPECIFIED"
      ]
     },
     "attemptsLeft": {
      "type": "integer"
     }
    },
    "required": [
     "state",
     "attemptsLeft"
    ]
   },
   "Key": {
    "type": "object",
    "properties": {
     "id": {
      "type": "string"
     },
     "displayName": {
      "type": "string"
     },
     "renamed": {
      "type": "boolean"
     },
     "deviceName": {
      "type": "string"
     },
     "model": {
      "type": "string"
     },
     "platform": {
      "type": "string"
     },
     "appVersion": {
      "type": "string"
     },
     "pairedAt": {
      "type": "string",
      "format": "date-time"
     },
     "lastUsedAt": {
      "type": "string",
      "format": "date-time"
     }
    },
    "required": [
     "id",
     "displayName",
     "renamed",
     "deviceName",
     "model",
     "platform",
     "appVersion"
    ]
   },
   "KeyList": {
    "type": "object",
    "properties": {
     "keys": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Key"
      }
     },
     "bok": {
      "$ref": "#/components/schemas/BokStatus"
     }
    },
    "required": [
     "keys",
     "bok"
    ]
   },
   "Rename": {
    "type": "object",
    "properties": {
     "displayName": {
      "type": "string",
      "maxLength": 64
     }
    },
    "required": [
     "displayName"
    ]
   },
   "Unpaired": {
    "type": "object",
    "properties": {
     "unpaired": {
      "type": "boolean"
     },
     "noMeansLeft": {
      "type": "boolean"
     }
    },
    "required": [
     "unpaired",
     "noMeansLeft"
    ]
   },
   "LastMeans": {
    "type": "object",
    "properties": {
     "lastMeans": {
      "type": "boolean"
     }
    },
    "required": [
     "lastMeans"
    ]
   },
   "Pairing": {
    "type": "object",
    "properties": {
     "pairingId": {
      "type": "string"
     },
     "activationCode": {
      "type": "string"
     },
     "expiresAt": {
      "type": "string",
      "format": "date-time"
     },
     "qrSvg": {
      "type": "string"
     }
    },
    "required": [
     "pairingId",
     "activationCode",
     "qrSvg"
    ]
   },
   "PairingStatus": {
    "type": "object",
    "properties": {
     "state": {
      "type": "string",
      "enum": [
       "PENDING",
       "COMPLETED",
       "EXPIRED",
       "UNSPECIFIED"
      ]
     },
     "expiresAt": {
      "type": "string",
      "format": "date-time"
     },
     "deviceId": {
      "type": "string"
     }
    },
    "required": [
     "state"
    ]
   },
   "ContactSetting": {
    "type": "object",
    "properties": {
     "channel": {
      "type": "string",
      "enum": [
       "EMAIL",
       "SMS"
      ]
     },
     "present": {
      "type": "boolean"
     },
     "address": {
      "type": "string"
     },
     "informative": {
      "type": "boolean"
     }
    },
    "required": [
     "channel",
     "informative"
    ]
   },
   "DeviceSetting": {
    "type": "object",
    "properties": {
     "deviceId": {
      "type": "string"
     },
     "displayName": {
      "type": "string"
     },
     "informative": {
      "type": "boolean"
     },
     "login": {
      "type": "boolean"
     },
     "bokPad": {
      "type": "boolean"
     }
    },
    "required": [
     "deviceId",
     "informative",
     "login",
     "bokPad"
    ]
   },
   "Settings": {
    "type": "object",
    "properties": {
     "version": {
      "type": "integer"
     },
     "contacts": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/ContactSetting"
      }
     },
     "devices": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/DeviceSetting"
      }
     },
     "bok": {
      "$ref": "#/components/schemas/BokStatus"
     }
    },
    "required": [
     "version",
     "contacts",
     "devices"
    ]
   },
   "Contacts": {
    "type": "object",
    "properties": {
     "email": {
      "type": "string"
     },
     "phone": {
      "type": "string"
     }
    },
    "required": [
     "email",
     "phone"
    ]
   },
   "HistoryEntry": {
    "type": "object",
    "properties": {
     "at": {
      "type": "string",
      "format": "date-time"
     },
     "kind": {
      "type": "string"
     },
     "event": {
      "type": "string"
     },
     "detail": {
      "type": "string"
     }
    },
    "required": [
     "kind",
     "event",
     "detail"
    ]
   },
   "History": {
    "type": "object",
    "properties": {
     "entries": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/HistoryEntry"
      }
     }
    },
    "required": [
     "entries"
    ]
   },
   "Redeem": {
    "type": "object",
    "properties": {
     "activationCode": {
      "type": "string"
     },
     "deviceName": {
      "type": "string"
     },
     "model": {
      "type": "string"
     },
     "platform": {
      "type": "string",
      "enum": [
       "ANDROID",
       "IOS"
      ]
     },
     "appVersion": {
      "type": "string"
     },
     "publicKey": {
      "type": "string",
      "contentEncoding": "base64"
     },
     "pushToken": {
      "type": "string"
     }
    },
    "required": [
     "activationCode",
     "deviceName",
     "model",
     "platform",
     "appVersion",
     "publicKey"
    ]
   },
   "RedeemedKey": {
    "type": "object",
    "properties": {
     "deviceId": {
      "type": "string"
     },
     "displayName": {
      "type": "string"
     }
    },
    "required": [
     "deviceId",
     "displayName"
    ]
   },
   "InboxMessage": {
    "type": "object",
    "properties": {
     "messageId": {
      "type": "string"
     },
     "kind": {
      "type": "string",
      "enum": [
       "INFORMATIVE",
       "LOGIN",
       "SECURITY",
       "BOK",
       "UNSPECIFIED"
      ]
     },
     "title": {
      "type": "string"
     },
     "body": {
      "type": "string"
     },
     "createdAt": {
      "type": "string",
      "format": "date-time"
     },
     "concernsDeviceId": {
      "type": "string"
     },
     "sender": {
      "type": "string"
     }
    },
    "required": [
     "messageId",
     "kind",
     "title",
     "body"
    ]
   },
   "Inbox": {
    "type": "object",
    "properties": {
     "messages": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/InboxMessage"
      }
     }
    },
    "required": [
     "messages"
    ]
   },
   "Ack": {
    "type": "object",
    "properties": {
     "messageIds": {
      "type": "array",
      "items": {
       "type": "string"
      },
      "minItems": 1,
      "maxItems": 100
     }
    },
    "required": [
     "messageIds"
    ]
   },
   "Acknowledged": {
    "type": "object",
    "properties": {
     "acknowledged": {
      "type": "integer"
     }
    },
    "required": [
     "acknowledged"
    ]
   },
   "NotMe": {
    "type": "object",
    "properties": {
     "concernsDeviceId": {
      "type": "string"
     },
     "messageId": {
      "type": "string"
     }
    },
    "required": [
     "concernsDeviceId"
    ]
   },
   "NotMeDone": {
    "type": "object",
    "properties": {
     "unpaired": {
      "type": "boolean"
     }
    },
    "required": [
     "unpaired"
    ]
   },
   "HpkeKey": {
    "type": "object",
    "properties": {
     "keyId": {
      "type": "string"
     },
     "publicKey": {
      "type": "string",
      "contentEncoding": "base64"
     }
    },
    "required": [
     "keyId",
     "publicKey"
    ]
   },
   "Prompt": {
    "type": "object",
    "properties": {
     "requestId": {
      "type": "string"
     },
     "officeName": {
      "type": "string"
     },
     "purpose": {
      "type": "string"
     },
     "expiresAt": {
      "type": "string",
      "format": "date-time"
     },
     "attemptsLeft": {
      "type": "integer"
     }
    },
    "required": [
     "requestId",
     "officeName",
     "purpose",
     "attemptsLeft"
    ]
   },
   "Prompts": {
    "type": "object",
    "properties": {
     "prompts": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Prompt"
      }
     }
    },
    "required": [
     "prompts"
    ]
   },
   "EncryptedBok": {
    "type": "object",
    "properties": {
     "keyId": {
      "type": "string"
     },
     "encapsulatedKey": {
      "type": "string"
     },
     "ciphertext": {
      "type": "string"
     }
    },
    "required": [
     "keyId",
     "encapsulatedKey",
     "ciphertext"
    ]
   },
   "Answer": {
    "type": "object",
    "properties": {
     "counterCode": {
      "type": "string"
     },
     "encryptedBok": {
      "$ref": "#/components/schemas/EncryptedBok"
     },
     "signedAtUnixMicros": {
      "type": "integer"
     },
     "signature": {
      "type": "string"
     }
    },
    "required": [
     "counterCode",
     "encryptedBok",
     "signedAtUnixMicros",
     "signature"
    ]
   },
   "AnswerOutcome": {
    "type": "object",
    "properties": {
     "state": {
      "type": "string"
     },
     "attemptsLeft": {
      "type": "integer"
     }
    },
    "required": [
     "state",
     "attemptsLeft"
    ]
   },
   "SetBok": {
    "type": "object",
    "properties": {
     "subject": {
      "type": "string"
     },
     "code": {
      "type": "string",
      "pattern": "^[0-9]{4,10}$",
      "writeOnly": true
     }
    },
    "required": [
     "subject",
     "code"
    ]
   },
   "UnblockBok": {
    "type": "object",
    "properties": {
     "subject": {
      "type": "string"
     },
     "newCode": {
      "type": "string",
      "pattern": "^[0-9]{4,10}$",
      "writeOnly": true
     }
    },
    "required": [
     "subject",
     "newCode"
    ]
   },
   "BokChanged": {
    "type": "object",
    "properties": {
     "state": {
      "type": "string",
      "enum": [
       "NONE",
       "ACTIVE",
       "BLOCKED",
       "UNSPECIFIED"
      ]
     }
    },
    "required": [
     "state"
    ]
   },
   "StartVerification": {
    "type": "object",
    "properties": {
     "counterId": {
      "type": "string"
     },
     "subject": {
      "type": "string"
     },
     "purpose": {
      "type": "string"
     }
    },
    "required": [
     "counterId",
     "subject",
     "purpose"
    ]
   },
   "StartedVerification": {
    "type": "object",
    "properties": {
     "requestId": {
      "type": "string"
     },
     "counterCode": {
      "type": "string"
     },
     "expiresAt": {
      "type": "string",
      "format": "date-time"
     }
    },
    "required": [
     "requestId",
     "counterCode"
    ]
   },
   "Verification": {
    "type": "object",
    "properties": {
     "requestId": {
      "type": "string"
     },
     "state": {
      "type": "string",
      "enum": [
       "PENDING",
       "VERIFIED",
       "WRONG_BOK",
       "BLOCKED",
       "WRONG_COUNTER_CODE",
       "EXPIRED",
       "CANCELLED",
       "UNSPECIFIED"
      ]
     },
     "purpose": {
      "type": "string"
     },
     "startedAt": {
      "type": "string",
      "format": "date-time"
     },
     "expiresAt": {
      "type": "string",
      "format": "date-time"
     },
     "finishedAt": {
      "type": "string",
      "format": "date-time"
     },
     "attemptsLeft": {
      "type": "integer"
     }
    },
    "required": [
     "requestId",
     "state",
     "purpose",
     "attemptsLeft"
    ]
   },
   "SendNotification": {
    "type": "object",
    "properties": {
     "subject": {
      "type": "string"
     },
     "title": {
      "type": "string",
      "maxLength": 200
     },
     "body": {
      "type": "string",
      "maxLength": 4000
     }
    },
    "required": [
     "subject",
     "title",
     "body"
    ]
   },
   "ChannelStatus": {
    "type": "object",
    "properties": {
     "channel": {
      "type": "string"
     },
     "state": {
      "type": "string"
     }
    },
    "required": [
     "channel",
     "state"
    ]
   },
   "NotificationAccepted": {
    "type": "object",
    "properties": {
     "notificationId": {
      "type": "string"
     },
     "channels": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/ChannelStatus"
      }
     }
    },
    "required": [
     "notificationId",
     "channels"
    ]
   },
   "NotificationStatus": {
    "type": "object",
    "properties": {
     "channels": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/ChannelStatus"
      }
     }
    },
    "required": [
     "channels"
    ]
   },
   "Login": {
    "type": "object",
    "properties": {
     "subject": {
      "type": "string"
     },
     "means": {
      "type": "string",
      "enum": [
       "MOBILE_KEY",
       "EOP",
       "BANK_IDENTITY",
       "NIA_ID",
       "OTHER"
      ]
     },
     "deviceId": {
      "type": "string"
     },
     "atUnixMicros": {
      "type": "integer"
     },
     "origin": {
      "type": "string"
     },
     "eventId": {
      "type": "string"
     }
    },
    "required": [
     "subject",
     "means"
    ]
   },
   "LoginRecorded": {
    "type": "object",
    "properties": {
     "recorded": {
      "type": "boolean"
     },
     "notifiedDevices": {
      "type": "integer"
     }
    },
    "required": [
     "recorded",
     "notifiedDevices"
    ]
   }
  },
  "securitySchemes": {
   "session": {
    "type": "apiKey",
    "in": "cookie",
    "name": "__Host-mk_session"
   },
   "device": {
    "type": "apiKey",
    "in": "header",
    "name": "X-MK-Signature",
    "description": "P-256 signature over mk-request-v1 METHOD TARGET SIGNED_AT SHA-256(body), with X-MK-Device and X-MK-Signed-At"
   },
   "basic": {
    "type": "http",
    "scheme": "basic"
   }
  }
 }
}
"""#
}
