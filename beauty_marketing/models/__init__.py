from . import beauty_consultation
