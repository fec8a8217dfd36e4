console.log('postinstall placeholder');
